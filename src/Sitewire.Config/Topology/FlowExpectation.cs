namespace Sitewire.Config.Topology;

/// <summary>Whether a flow must pass (<c>allow</c>) or must be stopped (<c>deny</c>, an isolation requirement).</summary>
public enum FlowExpectation
{
    Allow,
    Deny,
}
