using System.CommandLine;

namespace Sitewire.Cli.Doctor;

internal static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("sitewire doctor: not built yet");
            return 2;
        });
        return command;
    }
}
