namespace Sitewire.Host.Processes;

/// <summary>Finds a command as the shell would, also in the sbin directories an unprivileged PATH leaves out.</summary>
public static class Executables
{
    public static string? Which(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Append("/sbin")
            .Select(dir => Path.Combine(dir, command))
            .FirstOrDefault(File.Exists);
}
