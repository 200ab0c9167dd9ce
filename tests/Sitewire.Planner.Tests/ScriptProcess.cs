using System.Diagnostics;

namespace Sitewire.Planner.Tests;

/// <summary>Runs a program with an argument list to its end (killed and failed after <c>timeout</c>), capturing both outputs.</summary>
internal static class ScriptProcess
{
    public static (int ExitCode, string Output, string Errors) Run(string program, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} did not finish in {timeout.TotalSeconds:0} s");
        }
        return (process.ExitCode, output.Result, errors.Result);
    }
}
