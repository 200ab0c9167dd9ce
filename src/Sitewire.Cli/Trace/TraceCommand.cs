using System.CommandLine;

namespace Sitewire.Cli.Trace;

internal static class TraceCommand
{
    public static Command Create()
    {
        var command = new Command("trace", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("sitewire trace: not built yet");
            return 2;
        });
        return command;
    }
}
