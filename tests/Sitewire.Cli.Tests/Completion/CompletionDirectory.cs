namespace Sitewire.Cli.Tests.Completion;

/// <summary>A private directory for one test, with a small valid topology to complete names from; removed on dispose.</summary>
public sealed class CompletionDirectory : IDisposable
{
    /// <summary>A hub with a relay and two sites; hosts pad (home) and web (office).</summary>
    public const string Topology = """
        network:
          overlay: 192.168.200.0/24
          shape: hub
          hub: relay
        nodes:
          - name: relay
            role: relay
            endpoint: 203.0.113.10:51820
            public_interface: eth0
          - name: office
            role: site
            behind_nat: true
            lan:
              interface: ens33
              address: 172.18.3.16/24
            nat: masquerade
          - name: home
            role: site
            behind_nat: true
            lan:
              interface: ens3
              address: 192.168.3.36/24
            nat: masquerade
        hosts:
          - name: pad
            site: home
            address: 192.168.3.50
            gateway: node
          - name: web
            site: office
            address: 172.18.3.80
            gateway: node
        """;

    public string Path { get; } = Directory.CreateTempSubdirectory("sitewire-completion-").FullName;

    public string Write(string name, string text)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
