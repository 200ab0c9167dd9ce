using System.Runtime.Versioning;

// The end-to-end tests drive Linux network namespaces, TUN devices and setns(2): Linux only.
[assembly: SupportedOSPlatform("linux")]
