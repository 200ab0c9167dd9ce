using System.Reflection;

namespace Sitewire.Daemon;

internal static class Version
{
    /// <summary>The project's version (Directory.Build.props), as `sitewire --version` shows it without the commit.</summary>
    public static string Text { get; } =
        (typeof(Version).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown").Split('+')[0];
}
