namespace Sitewire.Tunnel.Configuration;

/// <summary>
/// A request that cannot be applied. <see cref="Errno"/> is what UAPI answers (EINVAL, EADDRINUSE, ...);
/// the message names the key, the peer or the value at fault.
/// </summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(int errno, string message)
        : base(message) => Errno = errno;

    public ConfigurationException()
    {
    }

    public ConfigurationException(string message)
        : base(message) => Errno = Errnos.EINVAL;

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException) => Errno = Errnos.EINVAL;

    public int Errno { get; }
}

public static class Errnos
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EIO = 5;
    public const int ENOMEM = 12;
    public const int EBUSY = 16;
    public const int EINVAL = 22;
    public const int EPROTO = 71;
    public const int EMSGSIZE = 90;
    public const int EADDRINUSE = 98;
    public const int EADDRNOTAVAIL = 99;
}
