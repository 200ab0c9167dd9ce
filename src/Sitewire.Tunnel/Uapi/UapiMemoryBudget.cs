using Sitewire.Tunnel.Configuration;

namespace Sitewire.Tunnel.Uapi;

/// <summary>
/// The request text all UAPI connections may hold at once (<see cref="UapiServer.MaxBufferedBytes"/>), and one
/// request's share of it (<see cref="UapiServer.MaxRequestBytes"/>). Each request takes its bytes line by line
/// through a <see cref="Lease"/> and gives them all back when it is answered. Thread-safe.
/// </summary>
internal sealed class UapiMemoryBudget
{
    private long _taken;

    public bool IsEmpty => Interlocked.Read(ref _taken) == 0;

    public Lease Open() => new(this);

    /// <summary>
    /// One request's bytes: <see cref="Take"/> throws ENOMEM or EMSGSIZE when they do not fit. A refused request gives
    /// its bytes back at once (disposing twice is harmless), so that of requests read together some get through.
    /// </summary>
    public sealed class Lease : IDisposable
    {
        private readonly UapiMemoryBudget _budget;
        private long _bytes;

        public Lease(UapiMemoryBudget budget) => _budget = budget;

        public void Take(int bytes)
        {
            if (_bytes + bytes > UapiServer.MaxRequestBytes)
            {
                throw new ConfigurationException(Errnos.EMSGSIZE, $"request larger than {UapiServer.MaxRequestBytes} bytes");
            }
            if (Interlocked.Add(ref _budget._taken, bytes) > UapiServer.MaxBufferedBytes)
            {
                Interlocked.Add(ref _budget._taken, -bytes);
                throw new ConfigurationException(Errnos.ENOMEM,
                    $"requests being read hold more than {UapiServer.MaxBufferedBytes} bytes together; try again");
            }
            _bytes += bytes;
        }

        public void Dispose()
        {
            Interlocked.Add(ref _budget._taken, -_bytes);
            _bytes = 0;
        }
    }
}
