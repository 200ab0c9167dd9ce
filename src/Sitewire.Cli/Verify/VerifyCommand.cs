using System.CommandLine;

namespace Sitewire.Cli.Verify;

internal static class VerifyCommand
{
    public static Command Create()
    {
        var command = new Command("verify", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("sitewire verify: not built yet");
            return 2;
        });
        return command;
    }
}
