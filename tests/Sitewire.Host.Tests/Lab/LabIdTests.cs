using Sitewire.Host.Lab;

namespace Sitewire.Host.Tests.Lab;

[Trait("Needs", "root")]
public sealed class LabIdTests
{
    [Fact]
    public void Labs_starting_at_once_never_share_an_id()
    {
        var ids = new string[64];
        try
        {
            Parallel.For(0, ids.Length, new ParallelOptions { MaxDegreeOfParallelism = 16 }, index => ids[index] = LabPaths.ClaimNewId());

            Assert.Equal(ids.Length, ids.Distinct().Count());
            Assert.All(ids, id => Assert.True(File.Exists(Path.Combine(LabPaths.LabDirectory(id), "claim"))));
        }
        finally
        {
            foreach (var id in ids.OfType<string>())
            {
                Directory.Delete(LabPaths.LabDirectory(id), recursive: true);
            }
        }
    }
}
