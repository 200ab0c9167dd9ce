namespace Sitewire.E2E.Infrastructure;

/// <summary>
/// A private temporary directory removed with everything in it on dispose; before that, the keys and logs in it are
/// handed to <see cref="SecretWatch"/>, which then fails the test on any leak seen.
/// </summary>
public sealed class TemporaryDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("sitewire-e2e-").FullName;

    public void Dispose()
    {
        SecretWatch.Suite.Harvest(Path, "temporary directory");
        Directory.Delete(Path, recursive: true);
        SecretWatch.Suite.AssertNoLeaks();
    }
}
