using System.Globalization;
using System.Net;

namespace Sitewire.Config.WgQuick;

/// <summary>An address with its prefix length as wg-quick's <c>Address =</c> takes it (<c>192.168.200.254/24</c>): host bits allowed.</summary>
public sealed record InterfaceAddress(IPAddress Address, int PrefixLength)
{
    public override string ToString() => $"{Address}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";
}
