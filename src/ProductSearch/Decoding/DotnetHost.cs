using System.Runtime.InteropServices;

namespace ProductSearch.Decoding;

/// <summary>The dotnet host that runs this process, found from the runtime's own folder (the app may have been started through a launcher).</summary>
internal static class DotnetHost
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } current && System.IO.Path.GetFileName(current) == name)
        {
            return current;
        }

        // <root>/shared/Microsoft.NETCore.App/<version>/
        var root = System.IO.Path.GetFullPath(System.IO.Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var host = System.IO.Path.Combine(root, name);
        return File.Exists(host) ? host : name;
    }
}
