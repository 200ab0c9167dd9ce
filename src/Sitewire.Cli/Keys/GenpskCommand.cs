using System.CommandLine;
using Sitewire.Crypto;

namespace Sitewire.Cli.Keys;

/// <summary>`sitewire genpsk`: as `wg genpsk`, 32 random bytes in base64 on stdout.</summary>
internal static class GenpskCommand
{
    public static Command Create()
    {
        var command = new Command("genpsk", "Print a new preshared key (base64), as `wg genpsk`.");
        command.SetAction(_ => KeyOutput.Write(Key.GeneratePreshared()));
        return command;
    }
}
