using System.CommandLine;
using Sitewire.Crypto;

namespace Sitewire.Cli.Keys;

/// <summary>`sitewire genkey`: as `wg genkey`, a new clamped private key in base64 on stdout.</summary>
internal static class GenkeyCommand
{
    public static Command Create()
    {
        var command = new Command("genkey", "Print a new private key (base64), as `wg genkey`.");
        command.SetAction(_ => KeyOutput.Write(Key.GeneratePrivate()));
        return command;
    }
}
