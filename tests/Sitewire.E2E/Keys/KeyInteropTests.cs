using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Processes;

namespace Sitewire.E2E.Keys;

/// <summary>sitewire genkey/pubkey/genpsk behave as wg's: any key made by one tool is accepted by the other.</summary>
public class KeyInteropTests
{
    [Fact]
    public void Sitewire_private_key_gives_the_same_public_key_in_wg_and_sitewire()
    {
        var privateKey = Shell.Check(RepositoryPaths.Sitewire, "genkey");
        Assert.Equal(45, privateKey.Length);
        var ours = Shell.Run(RepositoryPaths.Sitewire, ["pubkey"], standardInput: privateKey).EnsureSuccess().StandardOutput;
        var theirs = Shell.Run("wg", ["pubkey"], standardInput: privateKey).EnsureSuccess().StandardOutput;
        Assert.Equal(theirs, ours);
    }

    [Fact]
    public void Wg_private_key_gives_the_same_public_key_in_sitewire()
    {
        var privateKey = Shell.Check("wg", "genkey");
        var ours = Shell.Run(RepositoryPaths.Sitewire, ["pubkey"], standardInput: privateKey).EnsureSuccess().StandardOutput;
        var theirs = Shell.Run("wg", ["pubkey"], standardInput: privateKey).EnsureSuccess().StandardOutput;
        Assert.Equal(theirs, ours);
    }

    [Fact]
    public void Preshared_keys_are_accepted_by_wg()
    {
        var psk = Shell.Check(RepositoryPaths.Sitewire, "genpsk").Trim();
        Assert.Equal(44, psk.Length);
        Assert.Equal(psk, Shell.Run("wg", ["pubkey"], standardInput: psk).Succeeded ? psk : "wg rejected the key");
    }

    [Theory]
    [InlineData("")]
    [InlineData("short\n")]
    [InlineData("iq6ug0A7gvKEJueBouk+pppglYmpd73cFSRsfXLMRQ==\n")]
    public void Pubkey_rejects_malformed_input_like_wg(string input)
    {
        var ours = Shell.Run(RepositoryPaths.Sitewire, ["pubkey"], standardInput: input);
        var theirs = Shell.Run("wg", ["pubkey"], standardInput: input);
        Assert.False(theirs.Succeeded);
        Assert.Equal(2, ours.ExitCode);
        Assert.Empty(ours.StandardOutput);
    }

    [Fact]
    public void Genkey_into_a_world_readable_file_warns_like_wg()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sw-key-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllText(path, "");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            var result = Shell.Run("sh", ["-c", $"{RepositoryPaths.Sitewire} genkey > {path}"]).EnsureSuccess();
            Assert.Contains("world accessible", result.StandardError);
            Assert.Equal(45, File.ReadAllText(path).Length);

            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var quiet = Shell.Run("sh", ["-c", $"{RepositoryPaths.Sitewire} genkey > {path}"]).EnsureSuccess();
            Assert.Empty(quiet.StandardError);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
