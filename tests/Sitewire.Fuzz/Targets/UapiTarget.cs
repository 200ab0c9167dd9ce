using System.Text;
using Sitewire.Tunnel;
using Sitewire.Tunnel.Configuration;
using Sitewire.Tunnel.Io;
using Sitewire.Tunnel.Uapi;

namespace Sitewire.Fuzz;

/// <summary>
/// The input as the bytes a client writes to the UAPI socket, taken as <see cref="UapiServer"/> takes them: Latin-1
/// lines of at most <see cref="UapiServer.MaxLineBytes"/>, an operation line (anything but <c>set=1</c>/<c>get=1</c> is
/// logged through <c>UapiLogText</c> and ends the connection), a <c>set</c> body parsed line by line and applied to a
/// fresh unstarted device. The documented error is <see cref="ConfigurationException"/> (an errno and a message).
/// </summary>
internal static class UapiTarget
{
    public static void Run(byte[] input)
    {
        var lines = Lines(input);
        var next = 0;
        while (next < lines.Count && lines[next].Terminated)
        {
            var operation = lines[next++];
            if (operation.TooLong || operation.Text is not ("set=1" or "get=1"))
            {
                _ = UapiLogText.Line(operation);
                return;
            }
            if (operation.Text == "get=1")
            {
                next++;
                continue;
            }
            var parser = new UapiParser();
            try
            {
                while (next < lines.Count && !lines[next].IsBlank)
                {
                    var line = lines[next++];
                    if (line.TooLong)
                    {
                        throw new ConfigurationException(Errnos.EMSGSIZE, "line too long");
                    }
                    parser.Add(line.Text);
                }
                next++;
                new Device(new NullTun(), new NullBind(), new DeviceOptions { Workers = 1 }).Apply(parser.Update);
            }
            catch (ConfigurationException exception)
            {
                _ = exception.Message;
                while (next < lines.Count && !lines[next++].IsBlank)
                {
                }
            }
        }
    }

    private static List<UapiLine> Lines(byte[] input)
    {
        var lines = new List<UapiLine>();
        var start = 0;
        while (start < input.Length)
        {
            var newline = Array.IndexOf(input, (byte)'\n', start);
            var end = newline < 0 ? input.Length : newline;
            var tooLong = end - start > UapiServer.MaxLineBytes;
            lines.Add(new UapiLine(tooLong ? "" : Encoding.Latin1.GetString(input, start, end - start), Terminated: newline >= 0, tooLong));
            start = end + 1;
        }
        return lines;
    }

    private sealed class NullTun : ITun
    {
        public string Name => "fuzz0";

        public int Mtu => 1420;

        public int BatchSize => 1;

        public Task Closed => Task.CompletedTask;

        public int Read(byte[][] buffers, Span<int> sizes, int offset) => 0;

        public void Write(byte[][] buffers, ReadOnlySpan<int> sizes, int count, int offset)
        {
        }

        public void Dispose()
        {
        }
    }

    private sealed class NullBind : IBind
    {
        public int BatchSize => 1;

        public ushort Open(ushort port) => port == 0 ? (ushort)51820 : port;

        public void Close()
        {
        }

        public void SetMark(uint mark)
        {
        }

        public int Receive(byte[][] buffers, Span<int> sizes, Span<Endpoint> endpoints) => 0;

        public bool Send(byte[][] buffers, ReadOnlySpan<int> sizes, int count, int offset, Endpoint endpoint) => true;

        public void Dispose()
        {
        }
    }
}
