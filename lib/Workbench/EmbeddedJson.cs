namespace Workbench;

/// <summary>
/// The JSON files embedded in the library (presets, regimes, scenarios, sweeps, official results; see Workbench.csproj),
/// so they work offline and from any folder. Resources are named "Workbench.{Kind}.{name}.json".
/// </summary>
internal static class EmbeddedJson
{
    /// <summary>The names of the embedded files of a kind (e.g. "Scenarios"), in ordinal order.</summary>
    public static string[] Names(string kind)
    {
        string prefix = $"Workbench.{kind}.";
        return typeof(EmbeddedJson).Assembly.GetManifestResourceNames().Where(r => r.StartsWith(prefix, StringComparison.Ordinal))
            .Select(r => r[prefix.Length..^".json".Length]).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The text of one embedded file; InvalidOperationException when it is missing.</summary>
    public static string Read(string kind, string name)
    {
        using var stream = typeof(EmbeddedJson).Assembly.GetManifestResourceStream($"Workbench.{kind}.{name}.json")
            ?? throw new InvalidOperationException($"The embedded resource '{kind}/{name}.json' is missing from the library.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
