using System.CommandLine;

namespace Sitewire.Cli.Plan;

internal static class PlanCommand
{
    public static Command Create()
    {
        var command = new Command("plan", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("sitewire plan: not built yet");
            return 2;
        });
        return command;
    }
}
