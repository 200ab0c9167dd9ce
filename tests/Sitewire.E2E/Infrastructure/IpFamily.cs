namespace Sitewire.E2E.Infrastructure;

public enum IpFamily
{
    V4,
    V6,
}
