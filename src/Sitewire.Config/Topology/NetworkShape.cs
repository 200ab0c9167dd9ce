namespace Sitewire.Config.Topology;

/// <summary>How nodes are linked: <c>hub</c> (every node peers with one relay only) or <c>mesh</c> (every pair directly).</summary>
public enum NetworkShape
{
    Hub,
    Mesh,
}
