using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Workbench.Notebooks.Engine;

/// <summary>
/// Resolves <c>#r "nuget: Name, Version"</c> by restoring and publishing a generated project into
/// a cache folder (~/.cache/workbench/nuget, or $WORKBENCH_NUGET_CACHE). The user's NuGet
/// configuration applies (the SDK reads it); extra sources come from <c>#i "nuget: SOURCE"</c>.
/// Once cached, resolution needs no network. Failures name the package, version and cause.
/// </summary>
public static class NuGetResolver
{
    /// <summary>The cache folder.</summary>
    public static string CacheRoot => Environment.GetEnvironmentVariable("WORKBENCH_NUGET_CACHE")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "workbench", "nuget");

    /// <summary>The assemblies of the package and its dependencies (runtime assets for net10.0).</summary>
    public static IReadOnlyList<string> Resolve(string package, string? version, IReadOnlyList<string> sources)
    {
        if (string.IsNullOrWhiteSpace(package) || package.IndexOfAny(['<', '>', '"', '\'', '/', '\\']) >= 0)
            throw new NuGetResolveException($"#r \"nuget:\": '{package}' is not a package name.");
        string v = string.IsNullOrWhiteSpace(version) ? "*" : version.Trim();
        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{package}|{v}|{string.Join("|", sources)}")))[..16].ToLowerInvariant();
        var dir = Path.Combine(CacheRoot, $"{package.ToLowerInvariant()}-{key}");
        var outDir = Path.Combine(dir, "out");
        var done = Path.Combine(dir, "resolved.txt");
        if (File.Exists(done)) return File.ReadAllLines(done).Where(File.Exists).ToArray();
        Directory.CreateDirectory(dir);
        var extra = sources.Count == 0 ? "" : $"<RestoreAdditionalProjectSources>{string.Join(';', sources.Select(System.Security.SecurityElement.Escape))}</RestoreAdditionalProjectSources>";
        File.WriteAllText(Path.Combine(dir, "resolve.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>
                <EnableDefaultCompileItems>false</EnableDefaultCompileItems>
                {extra}
              </PropertyGroup>
              <ItemGroup><PackageReference Include="{System.Security.SecurityElement.Escape(package)}" Version="{System.Security.SecurityElement.Escape(v)}" /></ItemGroup>
            </Project>
            """);
        var psi = new ProcessStartInfo("dotnet", ["publish", "resolve.csproj", "-c", "Release", "-o", outDir, "--nologo", "-v", "q"])
        {
            WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var p = Process.Start(psi) ?? throw new NuGetResolveException("could not start 'dotnet'.");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5))) { p.Kill(true); throw new NuGetResolveException($"restoring {package} {v} took longer than 5 minutes."); }
        if (p.ExitCode != 0)
        {
            var msg = (stdout.Result + stderr.Result).Split('\n').Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Take(3);
            throw new NuGetResolveException($"#r \"nuget: {package}, {v}\" could not be restored: {string.Join(" ", msg).Trim()}");
        }
        var dlls = Directory.GetFiles(outDir, "*.dll").Where(f => Path.GetFileName(f) != "resolve.dll").OrderBy(f => f, StringComparer.Ordinal).ToArray();
        File.WriteAllLines(done, dlls);
        return dlls;
    }
}
