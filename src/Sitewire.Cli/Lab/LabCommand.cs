using System.CommandLine;

namespace Sitewire.Cli.Lab;

internal static class LabCommand
{
    public static Command Create()
    {
        var command = new Command("lab", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("sitewire lab: not built yet");
            return 2;
        });
        return command;
    }
}
