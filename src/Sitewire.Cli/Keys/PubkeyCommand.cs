using System.CommandLine;
using Sitewire.Cli.Outcome;
using Sitewire.Crypto;

namespace Sitewire.Cli.Keys;

/// <summary>`sitewire pubkey`: as `wg pubkey`, reads a private key on stdin and prints its public key.</summary>
internal static class PubkeyCommand
{
    public static Command Create()
    {
        var command = new Command("pubkey", "Read a private key on stdin and print its public key, as `wg pubkey` (exit 0, 2 not a key).");
        command.SetAction(_ =>
        {
            var input = Console.In.ReadToEnd();
            if (!Key.TryParseBase64(input, out var privateKey))
            {
                Console.Error.WriteLine("pubkey: Key is not the correct length or format");
                return ExitCode.Unusable;
            }
            return KeyOutput.Write(privateKey.PublicKey(), isSecret: false);
        });
        return command;
    }
}
