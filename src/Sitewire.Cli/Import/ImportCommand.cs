using System.CommandLine;

namespace Sitewire.Cli.Import;

internal static class ImportCommand
{
    public static Command Create()
    {
        var command = new Command("import", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("sitewire import: not built yet");
            return 2;
        });
        return command;
    }
}
