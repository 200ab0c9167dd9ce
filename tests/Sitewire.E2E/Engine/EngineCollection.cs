namespace Sitewire.E2E.Engine;

/// <summary>
/// The engine end-to-end tests run one at a time: each moves real traffic through two daemons on a 2-core
/// machine, and their time bounds assume the CPU is not shared with another tunnel test.
/// </summary>
[CollectionDefinition(Name)]
public sealed class EngineCollection
{
    public const string Name = "engine end-to-end";
}
