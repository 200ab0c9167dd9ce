using System.Diagnostics;
using Sitewire.E2E.Infrastructure;

namespace Sitewire.E2E.Lab;

/// <summary>Runs the built `sitewire` CLI (artifacts/bin) with a deadline; returns exit code and output.</summary>
internal static class CliRun
{
    public static (int ExitCode, string Output) Run(TimeSpan timeout, params string[] arguments)
    {
        var (exitCode, standardOutput, standardError) = RunSeparately(timeout, arguments);
        return (exitCode, standardOutput + standardError);
    }

    /// <summary>As <see cref="Run"/>, with stdout (e.g. `--json`) apart from stderr.</summary>
    public static (int ExitCode, string StandardOutput, string StandardError) RunSeparately(TimeSpan timeout, params string[] arguments)
    {
        using var process = Start(arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"sitewire {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds}s:\n{output.Result}{error.Result}");
        }
        SitewireCli.Observe(arguments, output.Result, error.Result);
        return (process.ExitCode, output.Result, error.Result);
    }

    public static Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo(RepositoryPaths.Sitewire) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return Process.Start(start)!;
    }

    /// <summary>The lab id from progress lines such as "[lab] 3fa2: 15 namespaces, ...".</summary>
    public static string LabId(string output)
    {
        var match = System.Text.RegularExpressions.Regex.Match(output, @"\[lab\] ([0-9a-f]{4}): \d+ namespaces");
        Assert.True(match.Success, "no lab id in output:\n" + output);
        return match.Groups[1].Value;
    }
}
