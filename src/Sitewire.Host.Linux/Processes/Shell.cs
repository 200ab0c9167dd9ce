using System.Diagnostics;

namespace Sitewire.Host.Processes;

/// <summary>Runs host commands (ip, wg, nft, ...) without a shell: arguments are passed as a list.</summary>
public static class Shell
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static CommandResult Run(string program, IEnumerable<string> arguments, TimeSpan? timeout = null, string? standardInput = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var display = string.Join(' ', [program, .. start.ArgumentList]);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? DefaultTimeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new CommandResult(display, 124, stdout.Result, stderr.Result + $"\n(timed out after {(timeout ?? DefaultTimeout).TotalSeconds:0} s)");
        }
        return new CommandResult(display, process.ExitCode, stdout.Result, stderr.Result);
    }

    public static CommandResult Run(string program, params string[] arguments) => Run(program, (IEnumerable<string>)arguments);

    /// <summary>Runs and throws <see cref="CommandFailedException"/> on a non-zero exit.</summary>
    public static string Check(string program, params string[] arguments) => Run(program, arguments).EnsureSuccess().StandardOutput;
}
