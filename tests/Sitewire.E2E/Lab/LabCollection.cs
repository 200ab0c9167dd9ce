namespace Sitewire.E2E.Lab;

/// <summary>Lab tests build 15+ namespaces each: they run one at a time (in parallel with other collections) on a 2-core machine.</summary>
[CollectionDefinition(Name)]
public sealed class LabCollection
{
    public const string Name = "lab";
}
