using System.Net;
using Sitewire.Host.Namespaces;

namespace Sitewire.E2E.Infrastructure;

/// <summary>ping(8) from inside a namespace, one echo at a time, bounded.</summary>
public static class Pinger
{
    public static bool Once(NetworkNamespace from, IPAddress destination, IPAddress? source = null)
    {
        string[] arguments = source is null
            ? ["-c", "1", "-W", "1", destination.ToString()]
            : ["-c", "1", "-W", "1", "-I", source.ToString(), destination.ToString()];
        return from.Exec("ping", arguments, TimeSpan.FromSeconds(5)).Succeeded;
    }

    /// <summary>Pings (each echo waiting 1 s) until one reply or the timeout.</summary>
    public static bool UntilReply(NetworkNamespace from, IPAddress destination, TimeSpan timeout, IPAddress? source = null) =>
        Poll.Until(() => Once(from, destination, source), timeout, TimeSpan.FromMilliseconds(50));
}
