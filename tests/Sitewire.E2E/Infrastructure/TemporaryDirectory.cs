namespace Sitewire.E2E.Infrastructure;

/// <summary>A private temporary directory removed with everything in it on dispose.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("sitewire-e2e-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
