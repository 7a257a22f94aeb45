using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Json;

namespace Workbench.Experiments;

/// <summary>One figure that differs between a recorded run and its rerun.</summary>
/// <param name="File">The results file.</param><param name="Row">Row number (1 = first data row), or 0 for the file as a whole.</param>
/// <param name="Where">The row's identifying values (arm, replicate, system, party, …).</param>
/// <param name="Column">The column.</param><param name="Recorded">The value on disk.</param><param name="Rerun">The value the rerun gives.</param>
/// <param name="Drift">True when both values are numbers within the relative tolerance of <c>verify --tolerance</c>: drift (another machine,
/// SDK or floating-point path), not a failure.</param>
public sealed record FigureDifference(string File, int Row, string Where, string Column, string Recorded, string Rerun, bool Drift = false)
{
    /// <inheritdoc/>
    public override string ToString() => (Drift ? "drift: " : "") + (Row == 0 ? $"{File}: {Column}: recorded {Recorded}, rerun {Rerun}" : $"{File} row {Row} ({Where}) {Column}: recorded {Recorded}, rerun {Rerun}");

    /// <summary>
    /// Whether <paramref name="recorded"/> and <paramref name="rerun"/> are numbers no further apart than <paramref name="tolerance"/>
    /// relative to the larger magnitude (|a − b| ≤ tolerance × max(|a|, |b|)). Text, and numbers beside text, are never drift.
    /// </summary>
    public static bool WithinTolerance(string recorded, string rerun, double tolerance) =>
        double.TryParse(recorded, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var a)
        && double.TryParse(rerun, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var b)
        && double.IsFinite(a) && double.IsFinite(b) && Math.Abs(a - b) <= tolerance * Math.Max(Math.Abs(a), Math.Abs(b));
}

/// <summary>The outcome of rerunning a recorded run.</summary>
/// <param name="Kind">simulation or sweep.</param><param name="FiguresCompared">Number of values compared.</param>
/// <param name="Differences">Every value that differs.</param><param name="Notes">Differences in provenance (library, commit, SDK) worth knowing.</param>
public sealed record VerifyReport(string Kind, long FiguresCompared, IReadOnlyList<FigureDifference> Differences, IReadOnlyList<string> Notes)
{
    /// <summary>True when every figure matched.</summary>
    public bool Identical => Differences.Count == 0;
    /// <summary>Differences beyond the tolerance (all of them when no tolerance was given).</summary>
    public IReadOnlyList<FigureDifference> Failures => Differences.Where(d => !d.Drift).ToArray();
    /// <summary>Differences within the tolerance.</summary>
    public IReadOnlyList<FigureDifference> Drifts => Differences.Where(d => d.Drift).ToArray();
}

/// <summary>
/// What <c>workbench verify</c> reads from a run's manifest.json (written by <see cref="SimulationResult.Manifest()"/> and
/// <see cref="SweepResult.Manifest"/>): provenance, the kind of run, and what to rerun. Read through its contract
/// (<see cref="RunManifestContract"/>) in the shared JSON layer: every problem is a <see cref="SpecValidationException"/>
/// naming its JSON path.
/// </summary>
/// <param name="Kind">simulation or sweep.</param>
/// <param name="Library">Library version that wrote it, if recorded.</param><param name="Commit">Git commit, if recorded.</param><param name="Sdk">SDK, if recorded.</param>
/// <param name="Run">The self-contained scenario (simulation) or canonical sweep (sweep), as compact JSON.</param>
/// <param name="Replicates">Replicates override (simulation).</param><param name="Seed">Seed override (simulation).</param><param name="Voters">Voters override (simulation).</param>
public sealed record RunManifest(string Kind, string? Library, string? Commit, string? Sdk, string Run, int Replicates, int Seed, int Voters)
{
    /// <summary>Fields a simulation or sweep manifest may have.</summary>
    public static IReadOnlyList<string> Known { get; } =
    [
        "kind", "library", "commit", "sdk", "files", "seed", "replicates", "replicateSeeds", "voters", "preset", "regime", "varyElectorate", "systems", "arms",
        "scenario", "scenarioSha256", "scenarioJson", "overrides", "sweep", "sweepSha256", "items", "rows", "parameters", "variants", "sweepJson",
    ];

    /// <summary>
    /// The manifest's "files" as written: an object of file name → SHA-256 or, in manifests written before hashes were
    /// recorded, an array of names (null when absent); <see cref="Verify.Run"/> checks it.
    /// </summary>
    internal JsonNode? Files { get; init; }

    /// <summary>Parses a manifest; a manifest of an older Workbench (no "kind") is an error that says so.</summary>
    public static RunManifest Parse(string json)
    {
        var root = Workbench.Json.JsonInput.ParseObject(json, "a run manifest");
        var errors = new List<ValidationError>();
        var m = Workbench.Json.JsonInput.Deserialize(root, "$", errors, ExperimentsJson.Contract.RunManifestContract);
        Parameters.ThrowIfAny(errors);
        Workbench.Json.JsonInput.UnknownFields(m!.Unknown, "$", Known, errors);
        string? library = Workbench.Json.JsonInput.String(m.Library, "$.library", errors), commit = Workbench.Json.JsonInput.String(m.Commit, "$.commit", errors), sdk = Workbench.Json.JsonInput.String(m.Sdk, "$.sdk", errors);
        if (!m.Kind.Given) throw new SpecValidationException([new("$.kind", "missing: the manifest was written by an older Workbench, before manifests recorded what to rerun.")]);
        string? kind = Workbench.Json.JsonInput.String(m.Kind, "$.kind", errors);
        string run = ""; int replicates = 0, seed = 0, voters = 0;
        switch (kind)
        {
            case null: break;
            case "simulation":
                if (m.ScenarioJson.Ok) run = m.ScenarioJson.Raw!.ToJsonString(); else errors.Add(new("$.scenarioJson", $"expected the scenario (an object), got {Workbench.Json.JsonInput.Kind(m.ScenarioJson.Raw)}."));
                if (m.Overrides.Ok)
                {
                    var o = m.Overrides.Value;
                    Workbench.Json.JsonInput.UnknownFields(o.Unknown, "$.overrides", ["replicates", "seed", "voters"], errors);
                    replicates = Workbench.Json.JsonInput.Int(o.Replicates, "$.overrides.replicates", errors, null, 1, 100_000, required: true) ?? 0;
                    seed = Workbench.Json.JsonInput.Int(o.Seed, "$.overrides.seed", errors, null, required: true) ?? 0;
                    voters = Workbench.Json.JsonInput.Int(o.Voters, "$.overrides.voters", errors, null, 1000, 50_000_000, required: true) ?? 0;
                }
                else errors.Add(new("$.overrides", $"expected {{ replicates, seed, voters }}, got {Workbench.Json.JsonInput.Kind(m.Overrides.Raw)}."));
                break;
            case "sweep":
                if (m.SweepJson.Ok) run = m.SweepJson.Raw!.ToJsonString(); else errors.Add(new("$.sweepJson", $"expected the sweep (an object), got {Workbench.Json.JsonInput.Kind(m.SweepJson.Raw)}."));
                break;
            default: errors.Add(new("$.kind", $"unknown kind '{kind}' (known: simulation, sweep).")); break;
        }
        Parameters.ThrowIfAny(errors);
        return new RunManifest(kind!, library, commit, sdk, run, replicates, seed, voters) { Files = m.Files };
    }
}

/// <summary>
/// A run manifest as its contract reads it (<see cref="RunManifest.Parse"/>): loose fields (<see cref="Loose{T}"/>) and
/// unknown fields collected in <see cref="Unknown"/>, so every problem is reported at once. <c>files</c> is polymorphic (an
/// object of name → SHA-256, or an array of names in older manifests) and stays a <see cref="JsonNode"/> that
/// <see cref="Verify.Run"/> checks; the self-contained <c>scenarioJson</c> and <c>sweepJson</c> are kept as written for
/// <see cref="Scenario.Parse"/> and <see cref="SweepSpec.Parse"/>; the fields that describe the run for readers (seeds,
/// systems, arms, variants, …) are accepted as written and not read back.
/// </summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip)]
internal sealed record RunManifestContract
{
    /// <summary>simulation or sweep.</summary>
    public Loose<string> Kind { get; init; }
    /// <summary>Library version.</summary>
    public Loose<string> Library { get; init; }
    /// <summary>Git commit.</summary>
    public Loose<string> Commit { get; init; }
    /// <summary>SDK.</summary>
    public Loose<string> Sdk { get; init; }
    /// <summary>The output files.</summary>
    public JsonNode? Files { get; init; }
    /// <summary>The self-contained scenario (simulation).</summary>
    public Loose<JsonObject> ScenarioJson { get; init; }
    /// <summary>Replicates, seed and voters of the run (simulation).</summary>
    public Loose<RunOverridesContract> Overrides { get; init; }
    /// <summary>The canonical sweep (sweep).</summary>
    public Loose<JsonObject> SweepJson { get; init; }
    /// <summary>Recorded for readers.</summary>
    public JsonNode? Seed { get; init; }
    /// <summary>Recorded for readers.</summary>
    public JsonNode? Replicates { get; init; }
    /// <summary>Recorded for readers.</summary>
    public JsonNode? ReplicateSeeds { get; init; }
    /// <summary>Recorded for readers.</summary>
    public JsonNode? Voters { get; init; }
    /// <summary>Recorded for readers.</summary>
    public JsonNode? Preset { get; init; }
    /// <summary>Recorded for readers.</summary>
    public JsonNode? Regime { get; init; }
    /// <summary>Recorded for readers.</summary>
    public JsonNode? VaryElectorate { get; init; }
    /// <summary>Recorded for readers.</summary>
    public JsonNode? Systems { get; init; }
    /// <summary>Recorded for readers.</summary>
    public JsonNode? Arms { get; init; }
    /// <summary>Recorded for readers.</summary>
    public JsonNode? Scenario { get; init; }
    /// <summary>Recorded for readers.</summary>
    public JsonNode? ScenarioSha256 { get; init; }
    /// <summary>Recorded for readers.</summary>
    public JsonNode? Sweep { get; init; }
    /// <summary>Recorded for readers.</summary>
    public JsonNode? SweepSha256 { get; init; }
    /// <summary>Recorded for readers.</summary>
    public JsonNode? Items { get; init; }
    /// <summary>Recorded for readers.</summary>
    public JsonNode? Rows { get; init; }
    /// <summary>Recorded for readers.</summary>
    public JsonNode? Parameters { get; init; }
    /// <summary>Recorded for readers.</summary>
    public JsonNode? Variants { get; init; }
    /// <summary>Fields the format does not have, in file order (each an error).</summary>
    [System.Text.Json.Serialization.JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}

/// <summary>A simulation manifest's <c>overrides</c>, read loosely (see <see cref="RunManifestContract"/>).</summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip)]
internal sealed record RunOverridesContract
{
    /// <summary>Replicates.</summary>
    public Loose<int> Replicates { get; init; }
    /// <summary>Seed.</summary>
    public Loose<int> Seed { get; init; }
    /// <summary>Voters.</summary>
    public Loose<int> Voters { get; init; }
    /// <summary>Fields the format does not have, in file order (each an error).</summary>
    [System.Text.Json.Serialization.JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}

/// <summary>
/// Reruns a recorded run from its manifest and compares every figure (for reviewers): <c>workbench simulate --out DIR</c>
/// and <c>workbench sweep merge</c> folders. The manifest holds everything needed — the self-contained scenario or sweep, the
/// overrides, the seeds — so a reviewer needs only the folder and the same library version.
/// </summary>
public static class Verify
{
    /// <summary>
    /// Reruns the run recorded in <paramref name="directory"/>/manifest.json and compares every output file the manifest lists
    /// (results.csv and, when listed, results.parquet and summary.json) with the rerun's, figure by figure; a file whose SHA-256 no
    /// longer matches the one recorded is noted. A malformed manifest is a <see cref="SpecValidationException"/> or an
    /// <see cref="InvalidDataException"/> naming the JSON path.
    /// </summary>
    /// <param name="directory">The run's folder.</param><param name="threads">Worker threads.</param><param name="log">Progress messages.</param>
    /// <param name="cancellationToken">Cancels the rerun.</param>
    /// <param name="allowOutsidePaths">Let files named in the recorded scenario or sweep lie outside the run's folder and the project's data folders.</param>
    /// <param name="tolerance">Relative tolerance: numeric figures that differ by at most this share of their magnitude are reported as drift,
    /// not failures (null: byte-exact, every difference a failure).</param>
    public static VerifyReport Run(string directory, int? threads = null, IProgress<string>? log = null, CancellationToken cancellationToken = default, bool allowOutsidePaths = false,
        double? tolerance = null)
    {
        if (tolerance is double tol && !(tol >= 0 && tol < 1)) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "the relative tolerance must be at least 0 and below 1.");
        var manifestPath = Path.Combine(directory, "manifest.json");
        if (!File.Exists(manifestPath)) throw new FileNotFoundException($"'{directory}' holds no manifest.json: verify a folder written by 'workbench simulate --out' or 'workbench sweep merge'.", manifestPath);
        // Every field checked through the shared JSON layer first (a SpecValidationException naming the JSON path), then read.
        RunManifest manifest;
        try { manifest = RunManifest.Parse(File.ReadAllText(manifestPath)); }
        catch (SpecValidationException ex) { throw new SpecValidationException(ex.Errors.Select(e => e with { Path = $"{manifestPath} {e.Path}" }).ToArray()); }
        var notes = new List<string>();
        var (version, commit) = Simulation.LibraryVersion();
        var (sdk, _) = Simulation.BuildEnvironment();
        void Note(string what, string? recorded, string now) { if (recorded is not null && recorded != now) notes.Add($"recorded with {what} {recorded}; rerun with {now}"); }
        Note("library", manifest.Library, version);
        Note("commit", manifest.Commit, commit);
        Note("SDK", manifest.Sdk, sdk);
        string kind = manifest.Kind;
        var listed = ListedFiles(manifest.Files, manifestPath);
        string csvPath = Path.Combine(directory, "results.csv");
        if (!File.Exists(csvPath)) throw new FileNotFoundException($"'{directory}' holds no results.csv to compare with.", csvPath);
        IReadOnlyList<KeyValuePair<string, byte[]>> rerun;
        string[] keys;
        switch (kind)
        {
            case "simulation":
            {
                Scenario scenario;
                try { scenario = Scenario.Parse(manifest.Run, directory, allowOutsidePaths).With(manifest.Replicates, manifest.Seed, manifest.Voters); }
                catch (ArgumentException ex) { throw new InvalidDataException($"{manifestPath}: $.scenarioJson / $.overrides do not describe a valid run: {ex.Message}", ex); }
                log?.Report($"rerunning scenario '{scenario.Name}': {scenario.Replicates} replicates of {scenario.Voters:N0} voters");
                rerun = Simulation.Run(scenario, threads, cancellationToken: cancellationToken).OutputFiles();
                keys = ["arm", "replicate", "system", "party"];
                break;
            }
            case "sweep":
            {
                if (SweepSpec.CountVariants(manifest.Run) is long variants && variants > SweepSpec.MaxVariants)
                    throw new InvalidDataException($"{manifestPath}: $.sweepJson.parameters give {variants:N0} variants; at most {SweepSpec.MaxVariants:N0} are allowed.");
                SweepSpec spec;
                try { spec = SweepSpec.Parse(manifest.Run, directory, allowOutsidePaths); }
                catch (ArgumentException ex) { throw new InvalidDataException($"{manifestPath}: $.sweepJson is not a valid sweep: {ex.Message}", ex); }
                log?.Report($"rerunning sweep '{spec.Name}': {spec.ItemCount} items");
                var table = Sweep.Run(spec, threads, cancellationToken: cancellationToken).Table;
                using var parquet = new MemoryStream();
                table.WriteParquetAsync(parquet, cancellationToken).GetAwaiter().GetResult();
                rerun = [KeyValuePair.Create("results.csv", new UTF8Encoding(false).GetBytes(table.ToCsv())), KeyValuePair.Create("results.parquet", parquet.ToArray())];
                keys = ["item", "arm", "system", "party"];
                break;
            }
            default: throw new InvalidDataException($"{manifestPath}: $.kind: unknown kind '{kind}' (known: simulation, sweep).");
        }
        long compared = 0;
        var diffs = new List<FigureDifference>();
        foreach (var (name, recordedSha) in listed)
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path)) { diffs.Add(new(name, 0, "", "file", "(missing)", "(written by the rerun)")); continue; }
            var disk = File.ReadAllBytes(path);
            if (recordedSha is not null && Convert.ToHexStringLower(SHA256.HashData(disk)) != recordedSha)
                notes.Add($"{name} was changed after the run: its SHA-256 no longer matches the one in manifest.json");
            var again = rerun.FirstOrDefault(f => f.Key == name).Value;
            if (again is null) { notes.Add($"{name} is not recomputed by a {kind} rerun; not compared"); continue; }
            var (n, d) = CompareFile(name, disk, again, keys);
            compared += n;
            diffs.AddRange(d);
        }
        if (tolerance is double t) diffs = diffs.Select(x => x with { Drift = FigureDifference.WithinTolerance(x.Recorded, x.Rerun, t) }).ToList();
        return new VerifyReport(kind, compared, diffs, notes);
    }

    /// <summary>Compares one recorded output file with the rerun's bytes: CSV cell by cell, JSON value by value, Parquet by its values; a byte difference nothing else explains is reported for the file as a whole.</summary>
    private static (long Compared, List<FigureDifference> Differences) CompareFile(string name, byte[] recorded, byte[] rerun, IReadOnlyList<string> keys)
    {
        var utf8 = new UTF8Encoding(false);
        long compared;
        List<FigureDifference> diffs;
        switch (Path.GetExtension(name).ToLowerInvariant())
        {
            case ".csv":
            {
                var r = Compare(name, utf8.GetString(recorded), utf8.GetString(rerun), keys);
                (compared, diffs) = (r.Compared, [.. r.Differences]);
                break;
            }
            case ".json":
            {
                try { var r = CompareSummary(name, utf8.GetString(recorded), utf8.GetString(rerun)); (compared, diffs) = (r.Compared, [.. r.Differences]); }
                catch (JsonException ex) { return (1, [new(name, 0, "", "file", $"not valid JSON ({ex.Message})", "valid JSON")]); }
                break;
            }
            case ".parquet":
            {
                if (recorded.AsSpan().SequenceEqual(rerun))
                {
                    var t = Tables.ColumnTable.ReadParquetAsync(new MemoryStream(rerun)).GetAwaiter().GetResult();
                    return ((long)t.RowCount * t.Columns.Count, []);
                }
                Tables.ColumnTable a;
                try { a = Tables.ColumnTable.ReadParquetAsync(new MemoryStream(recorded)).GetAwaiter().GetResult(); }
                catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
                {
                    return (1, [new(name, 0, "", "file", $"unreadable ({ex.GetType().Name}: {ex.Message})", $"{rerun.Length:N0} bytes, SHA-256 {Sha(rerun)}")]);
                }
                var b = Tables.ColumnTable.ReadParquetAsync(new MemoryStream(rerun)).GetAwaiter().GetResult();
                var r = Compare(name, a.ToCsv(), b.ToCsv(), keys);
                (compared, diffs) = (r.Compared, [.. r.Differences]);
                break;
            }
            default:
                compared = 1;
                diffs = [];
                break;
        }
        if (diffs.Count == 0 && !recorded.AsSpan().SequenceEqual(rerun))
            diffs.Add(new(name, 0, "", "bytes", $"{recorded.Length:N0} bytes, SHA-256 {Sha(recorded)}", $"{rerun.Length:N0} bytes, SHA-256 {Sha(rerun)}"));
        return (compared, diffs);
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The output files a manifest lists, with their recorded SHA-256 when it has one: "files" is an object (name → hash) or, in manifests written before hashes were recorded, an array of names; without "files", results.csv.</summary>
    private static List<(string Name, string? Sha256)> ListedFiles(JsonNode? files, string manifestPath)
    {
        var list = new List<(string, string?)>();
        switch (files)
        {
            case null: list.Add(("results.csv", null)); break;
            case JsonArray names:
                for (int i = 0; i < names.Count; i++)
                    list.Add((names[i] is JsonValue v && v.TryGetValue<string>(out var n) ? n : throw new InvalidDataException($"{manifestPath}: $.files[{i}] must be a file name (a string)."), null));
                break;
            case JsonObject hashes:
                foreach (var (n, h) in hashes)
                    list.Add((n, h is JsonValue v && v.TryGetValue<string>(out var sha) && sha.Length == 64 ? sha : throw new InvalidDataException($"{manifestPath}: $.files.{n} must be a SHA-256 (64 hex digits).")));
                break;
            default: throw new InvalidDataException($"{manifestPath}: $.files must be an object (file name → SHA-256) or an array of file names.");
        }
        foreach (var (n, _) in list)
            if (n.Length == 0 || n != Path.GetFileName(n) || n is "." or ".." || n == "manifest.json")
                throw new InvalidDataException($"{manifestPath}: $.files: '{n}' is not the name of a result file in the folder.");
        if (!list.Any(f => f.Item1 == "results.csv")) list.Insert(0, ("results.csv", null));
        return list;
    }

    /// <summary>Compares two CSV texts cell by cell, labelling rows by their key columns.</summary>
    public static (long Compared, IReadOnlyList<FigureDifference> Differences) Compare(string file, string recorded, string rerun, IReadOnlyList<string> keys)
    {
        var a = Parse(recorded); var b = Parse(rerun);
        var diffs = new List<FigureDifference>();
        if (a.Count == 0 || b.Count == 0) { if (a.Count != b.Count) diffs.Add(new(file, 0, "", "rows", a.Count.ToString(), b.Count.ToString())); return (0, diffs); }
        var header = a[0];
        if (!header.SequenceEqual(b[0])) { diffs.Add(new(file, 0, "", "columns", string.Join(",", header), string.Join(",", b[0]))); return (0, diffs); }
        if (a.Count != b.Count) diffs.Add(new(file, 0, "", "rows", (a.Count - 1).ToString(), (b.Count - 1).ToString()));
        var keyIdx = keys.Select(k => Array.IndexOf(header, k)).Where(i => i >= 0).ToArray();
        long compared = 0;
        for (int r = 1; r < Math.Min(a.Count, b.Count); r++)
        {
            for (int c = 0; c < header.Length; c++)
            {
                compared++;
                string x = c < a[r].Length ? a[r][c] : "", y = c < b[r].Length ? b[r][c] : "";
                if (x != y) diffs.Add(new(file, r, string.Join(", ", keyIdx.Select(k => $"{header[k]}={(k < a[r].Length ? a[r][k] : "")}")), header[c], x, y));
            }
        }
        return (compared, diffs);
    }

    private static (long Compared, IReadOnlyList<FigureDifference> Differences) CompareSummary(string file, string recorded, string rerun)
    {
        var diffs = new List<FigureDifference>();
        long n = 0;
        void Walk(JsonNode? x, JsonNode? y, string path)
        {
            switch (x)
            {
                case JsonObject ox when y is JsonObject oy:
                    foreach (var (k, v) in ox) Walk(v, oy[k], $"{path}.{k}");
                    foreach (var (k, v) in oy) if (!ox.ContainsKey(k)) diffs.Add(new(file, 0, "", $"{path}.{k}", "(absent)", v?.ToJsonString() ?? "null"));
                    break;
                case JsonArray ax when y is JsonArray ay:
                    if (ax.Count != ay.Count) diffs.Add(new(file, 0, "", path + ".length", ax.Count.ToString(), ay.Count.ToString()));
                    for (int i = 0; i < Math.Min(ax.Count, ay.Count); i++) Walk(ax[i], ay[i], $"{path}[{i}]");
                    break;
                default:
                    n++;
                    string sx = x?.ToJsonString() ?? "null", sy = y?.ToJsonString() ?? "null";
                    if (sx != sy) diffs.Add(new(file, 0, "", path, sx, sy));
                    break;
            }
        }
        Walk(JsonNode.Parse(recorded), JsonNode.Parse(rerun), "$");
        return (n, diffs);
    }

    /// <summary>RFC 4180 CSV into rows of fields.</summary>
    private static List<string[]> Parse(string text)
    {
        var rows = new List<string[]>(); var row = new List<string>(); var field = new StringBuilder();
        bool quoted = false, any = false;
        for (int i = 0; i < text.Length; i++)
        {
            char ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else field.Append(ch);
                continue;
            }
            switch (ch)
            {
                case '"': quoted = true; any = true; break;
                case ',': row.Add(field.ToString()); field.Clear(); any = true; break;
                case '\r': break;
                case '\n': row.Add(field.ToString()); field.Clear(); rows.Add([.. row]); row.Clear(); any = false; break;
                default: field.Append(ch); any = true; break;
            }
        }
        if (any || field.Length > 0) { row.Add(field.ToString()); rows.Add([.. row]); }
        return rows;
    }
}
