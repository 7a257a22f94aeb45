using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Workbench.Json;
using Workbench.Random;
using Workbench.Tables;

namespace Workbench.Experiments;

/// <summary>Resource flags and the command line written into the launch files of a sweep plan.</summary>
/// <param name="CpusPerTask">CPUs per shard (Slurm --cpus-per-task; threads of each shard).</param>
/// <param name="Memory">Memory per shard (Slurm --mem, e.g. "4G").</param>
/// <param name="Time">Wall-time limit per shard (Slurm --time, e.g. "01:00:00").</param>
/// <param name="Partition">Slurm partition (null: the cluster's default).</param>
/// <param name="Account">Slurm account (null: none).</param>
/// <param name="Command">How a compute node starts workbench (null: the way this process was started).</param>
/// <param name="Image">Container image for the Kubernetes manifest.</param>
public sealed record SweepLaunchOptions(int CpusPerTask = 2, string Memory = "4G", string Time = "01:00:00", string? Partition = null, string? Account = null,
    string? Command = null, string Image = "workbench:latest");

/// <summary>State of one shard of a planned sweep.</summary>
public enum ShardState
{
    /// <summary>Results and manifest are in place.</summary>
    Done,
    /// <summary>Not run yet, or killed before it finished (a killed shard leaves nothing that looks complete).</summary>
    Missing,
    /// <summary>The last attempt failed; shards/K.failed.json says why.</summary>
    Failed,
}

/// <summary>A shard's state, with its item count and (for failures) the error.</summary>
public sealed record ShardStatus(int Shard, ShardState State, int Items, string? Error);

/// <summary>Thrown when a sweep cannot be merged because shards are missing or failed.</summary>
public sealed class SweepIncompleteException(IReadOnlyList<ShardStatus> notDone)
    : InvalidOperationException($"Cannot merge: {notDone.Count} shard(s) not done: " + string.Join(", ", notDone.Select(s => $"{s.Shard} ({s.State.ToString().ToLowerInvariant()})")) + ". Run them with 'workbench sweep run DIR --shard K', then merge.")
{
    /// <summary>The shards that are not done.</summary>
    public IReadOnlyList<ShardStatus> NotDone { get; } = notDone;
}

/// <summary>Progress of a sweep: items done out of the total.</summary>
public readonly record struct SweepProgress(int Done, int Total);

/// <summary>
/// A planned sweep (docs/scale-out.md): the sweep, the number of shards and which shard runs which item. The unit of
/// distributed work is a deterministic shard, so any scheduler that can run "task K of N" can run it: Slurm array jobs,
/// Kubernetes Indexed Jobs, GNU parallel. Shards write DIR/shards/K/ atomically; merging gives exactly the bytes of a
/// single-machine run whatever the number of shards.
/// </summary>
public sealed class SweepPlan
{
    private SweepPlan(SweepSpec spec, int shards) { Spec = spec; Shards = shards; ShardOf = spec.ShardOf(shards); }

    /// <summary>The sweep.</summary>
    public SweepSpec Spec { get; }
    /// <summary>Number of shards.</summary>
    public int Shards { get; }
    /// <summary>Shard of each item (canonical item order).</summary>
    public IReadOnlyList<int> ShardOf { get; }
    /// <summary>The items of shard <paramref name="shard"/>, in the order the shard runs them (replicate, then variant).</summary>
    public IReadOnlyList<SweepItem> ItemsOf(int shard)
    {
        if (shard < 0 || shard >= Shards) throw new ArgumentOutOfRangeException(nameof(shard), shard, $"shard must be in 0..{Shards - 1}.");
        return Spec.Items().Where(i => ShardOf[i.Index] == shard).OrderBy(i => i.Replicate).ThenBy(i => i.Variant).ToArray();
    }

    /// <summary>Plans <paramref name="spec"/> over <paramref name="shards"/> shards.</summary>
    public static SweepPlan Create(SweepSpec spec, int shards)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new SweepPlan(spec, shards);
    }

    /// <summary>plan.json: the sweep (canonical), its hash, the variants, every item with its seed and shard, and the library that planned it.</summary>
    public JsonObject ToJson()
    {
        var (version, commit) = Simulation.LibraryVersion();
        var o = new JsonObject
        {
            ["format"] = PlanFormat, ["name"] = Spec.Name, ["sweepSha256"] = Spec.Hash, ["shards"] = Shards,
            ["replicates"] = Spec.Replicates, ["seed"] = Spec.Seed, ["baseDirectory"] = Spec.BaseDirectory,
            ["sweep"] = JsonNode.Parse(Spec.CanonicalJson),
            ["parameters"] = new JsonArray(Spec.Parameters.Select(p => (JsonNode?)new JsonObject { ["name"] = p.Name, ["path"] = p.Path, ["values"] = new JsonArray(p.Values.Select(v => (JsonNode?)v.DeepClone()).ToArray()) }).ToArray()),
            ["variants"] = new JsonArray(Spec.Variants.Select(v => (JsonNode?)new JsonObject
            {
                ["variant"] = v.Index, ["values"] = new JsonArray(v.Values.Select(x => (JsonNode?)x.DeepClone()).ToArray()), ["voters"] = v.Scenario.Voters, ["scenarioSha256"] = v.ScenarioSha256,
            }).ToArray()),
            ["items"] = new JsonArray(Spec.Items().Select(i => (JsonNode?)new JsonArray(i.Index, i.Variant, i.Replicate, i.Seed, ShardOf[i.Index])).ToArray()),
            ["itemColumns"] = new JsonArray(ItemColumns.Select(n => (JsonNode?)n).ToArray()),
            ["library"] = version, ["commit"] = commit,
        };
        if (Spec.AllowOutsidePaths) o["allowOutsidePaths"] = true;
        return o;
    }

    /// <summary>Writes DIR/plan.json and the launch files (sweep.sbatch, k8s-indexed-job.yaml, parallel.sh); refuses a folder that already holds a different plan.</summary>
    public void Write(string directory, SweepLaunchOptions? launch = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        launch ??= new SweepLaunchOptions();
        var dir = Path.GetFullPath(directory);
        Directory.CreateDirectory(dir);
        var planPath = Path.Combine(dir, "plan.json");
        var text = ToJson().ToJsonString(Pretty) + "\n";
        if (File.Exists(planPath) && File.ReadAllText(planPath) != text && Directory.Exists(Path.Combine(dir, "shards")) && Directory.EnumerateDirectories(Path.Combine(dir, "shards")).Any())
            throw new InvalidOperationException($"'{dir}' already holds a different sweep plan with shard results; plan into a new folder.");
        Directory.CreateDirectory(Path.Combine(dir, "shards"));
        Directory.CreateDirectory(Path.Combine(dir, "logs"));
        AtomicFile.WriteAllText(planPath, text);
        string cmd = launch.Command ?? SweepLaunch.DefaultCommand();
        AtomicFile.WriteAllText(Path.Combine(dir, "sweep.sbatch"), SweepLaunch.Sbatch(Spec.Name, dir, Shards, launch, cmd));
        AtomicFile.WriteAllText(Path.Combine(dir, "k8s-indexed-job.yaml"), SweepLaunch.Kubernetes(Spec.Name, Shards, launch));
        AtomicFile.WriteAllText(Path.Combine(dir, "parallel.sh"), SweepLaunch.GnuParallel(dir, Shards, launch, cmd));
        if (!OperatingSystem.IsWindows())
            foreach (var f in new[] { "sweep.sbatch", "parallel.sh" })
                File.SetUnixFileMode(Path.Combine(dir, f), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    /// <summary>
    /// Loads DIR/plan.json, re-expanding the sweep and checking it still hashes to what was planned. The file is read through
    /// its contract (<see cref="SweepPlanContract"/>): a damaged plan is a <see cref="SpecValidationException"/> whose every
    /// error names the file and the JSON path (<c>…/plan.json $.shards: expected a whole number in [1, 2147483647], got a string.</c>).
    /// </summary>
    public static SweepPlan Load(string directory)
    {
        var planPath = Path.Combine(directory, "plan.json");
        if (!File.Exists(planPath)) throw new FileNotFoundException($"'{directory}' holds no plan.json; create one with 'workbench sweep plan SWEEP.json --shards N --out {directory}'.", planPath);
        var text = File.ReadAllText(planPath);
        var errors = new List<ValidationError>();
        SweepPlanContract? c;
        try
        {
            c = Workbench.Json.JsonInput.Deserialize(Workbench.Json.JsonInput.ParseObject(text, "a sweep plan"), "$", errors, ExperimentsJson.Contract.SweepPlanContract);
        }
        catch (SpecValidationException ex) { throw InFile(planPath, ex.Errors); }
        if (c is null) throw InFile(planPath, errors);
        if (!(c.Format.Ok && c.Format.Value == PlanFormat))
            throw InFile(planPath, [new("$.format", $"expected \"{PlanFormat}\", got {c.Format.Quote()}: the file is not a workbench sweep plan.")]);
        Workbench.Json.JsonInput.UnknownFields(c.Unknown, "$", PlanFields, errors);
        string? sweepSha = Workbench.Json.JsonInput.String(c.SweepSha256, "$.sweepSha256", errors, required: true);
        int? shards = Workbench.Json.JsonInput.Int(c.Shards, "$.shards", errors, null, 1, int.MaxValue, required: true);
        string? baseDirectory = Workbench.Json.JsonInput.String(c.BaseDirectory, "$.baseDirectory", errors, required: true);
        if (!c.Sweep.Ok) errors.Add(new("$.sweep", $"expected the sweep (an object), got {Workbench.Json.JsonInput.Kind(c.Sweep.Raw)}."));
        string? library = Workbench.Json.JsonInput.String(c.Library, "$.library", errors);
        bool allowOutsidePaths = Workbench.Json.JsonInput.Bool(c.AllowOutsidePaths, "$.allowOutsidePaths", errors) ?? false;
        var shardOfItem = new List<int>();
        if (!c.Items.Ok) errors.Add(new("$.items", $"expected an array of items [item, variant, replicate, seed, shard], got {Workbench.Json.JsonInput.Kind(c.Items.Raw)}."));
        else
            for (int i = 0; i < c.Items.Value.Count; i++)
            {
                var row = c.Items.Value[i];
                if (!row.Ok || row.Value.Count != ItemColumns.Length) { errors.Add(new($"$.items[{i}]", $"expected an item [item, variant, replicate, seed, shard], got {(row.Ok ? $"an array of {row.Value.Count} values" : Workbench.Json.JsonInput.Kind(row.Raw))}.")); continue; }
                if (row.Value[4] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out int k)) shardOfItem.Add(k);
                else errors.Add(new($"$.items[{i}][4]", $"expected the item's shard (a whole number), got {Workbench.Json.JsonInput.Kind(row.Value[4])}."));
            }
        if (errors.Count > 0) throw InFile(planPath, errors);
        SweepSpec spec;
        try { spec = SweepSpec.Parse(c.Sweep.Raw!.ToJsonString(), baseDirectory!, allowOutsidePaths); }
        catch (SpecValidationException ex) { throw InFile(planPath, ex.Errors, "sweep"); }
        if (spec.Hash != sweepSha) throw new InvalidDataException($"{planPath}: the sweep no longer hashes to {sweepSha}; was the plan edited?");
        var (version, _) = Simulation.LibraryVersion();
        if (library is string v0 && v0 != version)
            throw new InvalidOperationException($"The plan in '{directory}' was made by Workbench {v0}; this is {version}. Results would not be comparable: plan again with this version.");
        if (shards > spec.ItemCount) throw InFile(planPath, [new("$.shards", $"{shards} is outside the valid range [1, {spec.ItemCount}] (the sweep has {spec.ItemCount} items).")]);
        if (shardOfItem.Count != spec.ItemCount) throw InFile(planPath, [new("$.items", $"lists {shardOfItem.Count} items; the sweep has {spec.ItemCount}.")]);
        var loaded = new SweepPlan(spec, shards!.Value) { PlanSha256 = SweepSpec.Sha256(text) };
        for (int i = 0; i < shardOfItem.Count; i++)
            if (shardOfItem[i] != loaded.ShardOf[i]) throw new InvalidDataException($"{planPath}: item {i} is assigned to shard {shardOfItem[i]} but the plan's rule gives {loaded.ShardOf[i]}; was the plan edited?");
        return loaded;
    }

    private const string PlanFormat = "workbench-sweep-plan/1";
    private static readonly string[] ItemColumns = ["item", "variant", "replicate", "seed", "shard"];

    /// <summary>The fields plan.json may have (<see cref="ToJson"/> writes them).</summary>
    internal static readonly string[] PlanFields =
        ["format", "name", "sweepSha256", "shards", "replicates", "seed", "baseDirectory", "sweep", "parameters", "variants", "items", "itemColumns", "library", "commit", "allowOutsidePaths"];

    /// <summary>
    /// The errors of a file Workbench wrote and reads back (plan.json, sensitivity.json, a shard's manifest.json), each path
    /// preceded by the file (<c>DIR/plan.json $.shards</c>); the errors of a part read by its own parser (the plan's
    /// <c>sweep</c>) are placed under that part's field.
    /// </summary>
    internal static SpecValidationException InFile(string file, IEnumerable<ValidationError> errors, string? under = null, string? hint = null) =>
        new(errors.Select(e => e with
        {
            Path = $"{file} " + (under is null ? e.Path : e.Path.StartsWith('$') ? $"$.{under}{e.Path[1..]}" : $"$.{under}: {e.Path}"),
            Message = hint is null ? e.Message : $"{e.Message} {hint}",
        }).ToArray());

    /// <summary>SHA-256 of plan.json as loaded (null for a plan not loaded from disk).</summary>
    public string? PlanSha256 { get; private init; }

    internal static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}

/// <summary>
/// Runs, inspects and merges sweeps. Within a shard, items run in parallel on the node; each electorate is
/// generated once per shard (per spec, size and seed) and shared by every item that needs it, then released.
/// </summary>
public static class Sweep
{
    /// <summary>Runs shard <paramref name="shard"/> of the plan in <paramref name="directory"/>, writing DIR/shards/K/ atomically. Returns false (and does nothing) when the shard is already done.</summary>
    public static bool RunShard(string directory, int shard, int? threads = null, IProgress<SweepProgress>? progress = null, CancellationToken cancellationToken = default) =>
        RunShard(SweepPlan.Load(directory), directory, shard, threads, progress, cancellationToken);

    /// <summary>Runs shard <paramref name="shard"/> of an already loaded <paramref name="plan"/> (loaded from <paramref name="directory"/>), so callers running several shards load and expand the plan once.</summary>
    public static bool RunShard(SweepPlan plan, string directory, int shard, int? threads = null, IProgress<SweepProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var final = ShardDirectory(directory, shard);
        if (plan.Shards <= shard || shard < 0) throw new ArgumentOutOfRangeException(nameof(shard), shard, $"The plan has {plan.Shards} shard(s): 0..{plan.Shards - 1}.");
        if (IsDone(final, plan)) return false;
        var failed = FailedPath(directory, shard);
        var items = plan.ItemsOf(shard);
        ColumnTable table;
        try { table = Run(plan.Spec, items, threads, progress, cancellationToken); }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            AtomicFile.WriteAllText(failed, new JsonObject { ["shard"] = shard, ["error"] = ex.GetType().Name + ": " + ex.Message }.ToJsonString(SweepPlan.Pretty) + "\n");
            throw;
        }
        // Write into a private temporary folder, then rename it into place: a reader sees all of the shard or none of it.
        var shardsDir = Path.GetDirectoryName(final)!;
        var tmp = Path.Combine(shardsDir, $".{shard}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(tmp);
        try
        {
            table.WriteParquet(Path.Combine(tmp, "results.parquet"));
            var (version, commit) = Simulation.LibraryVersion();
            var manifest = new JsonObject
            {
                ["shard"] = shard, ["planSha256"] = plan.PlanSha256, ["sweepSha256"] = plan.Spec.Hash,
                ["items"] = new JsonArray(items.Select(i => (JsonNode?)JsonValue.Create(i.Index)).OrderBy(n => n!.GetValue<int>()).ToArray()),
                ["rows"] = table.RowCount, ["resultsSha256"] = FileSha256(Path.Combine(tmp, "results.parquet")),
                ["library"] = version, ["commit"] = commit,
            };
            AtomicFile.WriteAllText(Path.Combine(tmp, "manifest.json"), manifest.ToJsonString(SweepPlan.Pretty) + "\n");
            try { Directory.Move(tmp, final); }
            catch (IOException) when (IsDone(final, plan)) { Directory.Delete(tmp, true); return false; } // another attempt finished first
        }
        catch { if (Directory.Exists(tmp)) Directory.Delete(tmp, true); throw; }
        if (File.Exists(failed)) File.Delete(failed);
        foreach (var stale in Directory.EnumerateDirectories(shardsDir, $".{shard}.*.tmp")) try { Directory.Delete(stale, true); } catch (IOException) { }
        return true;
    }

    /// <summary>The state of every shard of the plan in <paramref name="directory"/>.</summary>
    public static IReadOnlyList<ShardStatus> Status(string directory) => Status(SweepPlan.Load(directory), directory);

    /// <summary>The state of every shard of an already loaded plan.</summary>
    public static IReadOnlyList<ShardStatus> Status(SweepPlan plan, string directory)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var items = new int[plan.Shards];
        foreach (var k in plan.ShardOf) items[k]++;
        return Enumerable.Range(0, plan.Shards).Select(k =>
        {
            int n = items[k];
            if (IsDone(ShardDirectory(directory, k), plan)) return new ShardStatus(k, ShardState.Done, n, null);
            var failed = FailedPath(directory, k);
            if (File.Exists(failed)) return new ShardStatus(k, ShardState.Failed, n, FailureMessage(failed));
            return new ShardStatus(k, ShardState.Missing, n, null);
        }).ToArray();
    }

    /// <summary>The error recorded in a shard's failure record (a damaged record is reported as such, not thrown).</summary>
    private static string FailureMessage(string path)
    {
        try { return JsonNode.Parse(File.ReadAllText(path)) is JsonObject o && o["error"] is JsonValue v && v.TryGetValue<string>(out var e) ? e : $"{path} records no error message"; }
        catch (JsonException) { return $"{path} is not valid JSON"; }
    }

    /// <summary>Merges every shard into one results table (DIR/results.parquet, results.csv, manifest.json, or into <paramref name="outDirectory"/>); refuses while shards are missing or failed.</summary>
    public static SweepResult Merge(string directory, string? outDirectory = null) => Merge(SweepPlan.Load(directory), directory, outDirectory);

    /// <summary>Merges the shards of an already loaded plan.</summary>
    public static SweepResult Merge(SweepPlan plan, string directory, string? outDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var notDone = Status(plan, directory).Where(s => s.State != ShardState.Done).ToArray();
        if (notDone.Length > 0) throw new SweepIncompleteException(notDone);
        var parts = new List<ColumnTable>();
        for (int k = 0; k < plan.Shards; k++) parts.Add(ReadShard(plan, directory, k));
        var all = ColumnTable.Concat(parts);
        var item = (int[])all["item"].Values;
        var order = Enumerable.Range(0, all.RowCount).OrderBy(i => item[i]).ToArray(); // stable: rows of an item keep their order
        var result = new SweepResult(plan.Spec, all.Reorder(order));
        var missingItems = Enumerable.Range(0, plan.Spec.ItemCount).Except(item.Distinct()).ToArray();
        if (missingItems.Length > 0) throw new InvalidDataException($"The shards hold no rows for item(s) {string.Join(", ", missingItems.Take(10))}; the plan and the shard results disagree.");
        result.Write(outDirectory ?? directory);
        return result;
    }

    /// <summary>Runs a whole sweep on this machine, in memory (for notebooks and for comparison with merged shards).</summary>
    public static SweepResult Run(SweepSpec spec, int? threads = null, IProgress<SweepProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var items = spec.Items().OrderBy(i => i.Replicate).ThenBy(i => i.Variant).ToArray();
        return new SweepResult(spec, Run(spec, items, threads, progress, cancellationToken)); // rows come back in item order
    }

    /// <summary>Runs the given items (in parallel; results do not depend on the thread count) and returns their rows, in item order.</summary>
    private static ColumnTable Run(SweepSpec spec, IReadOnlyList<SweepItem> items, int? threads, IProgress<SweepProgress>? progress, CancellationToken ct)
    {
        int T = DeterministicParallel.ResolveThreads(threads);
        var rows = new ItemRows[items.Count];
        // Electorates are generated once per (spec, voters, seed) and dropped when the last item needing them is done.
        var need = new Dictionary<string, int>();
        // The spec part of the key is serialised once per variant, not once per item.
        var variantKeys = spec.Variants.Select(v => v.Scenario.Electorate.ToJson() + "\n" + v.Scenario.Voters.ToString(CultureInfo.InvariantCulture)).ToArray();
        var keys = items.Select(i => ElectorateKey(spec, variantKeys, i)).ToArray();
        foreach (var k in keys) need[k.Key] = need.GetValueOrDefault(k.Key) + 1;
        var cache = new ConcurrentDictionary<string, Lazy<Workbench.Electorate.Electorate>>();
        int outer = Math.Max(1, Math.Min(T, items.Count)), inner = Math.Max(1, T / outer), done = 0;
        Parallel.For(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = outer, CancellationToken = ct }, n =>
        {
            var it = items[n]; var key = keys[n];
            var sc = spec.Variants[it.Variant].Scenario;
            var lazy = cache.GetOrAdd(key.Key, _ => new Lazy<Workbench.Electorate.Electorate>(
                () => Workbench.Electorate.Electorates.Generate(sc.Electorate, sc.Voters, key.Seed, inner, cancellationToken: ct)));
            var (res, _, sys, _) = Simulation.Replicate(sc, it.Replicate, RunSeeds.Replicate(spec.Seed, it.Replicate), lazy.Value, inner, ct);
            rows[n] = new ItemRows(it, res, sys);
            lock (need) { if (--need[key.Key] == 0) cache.TryRemove(key.Key, out _); }
            progress?.Report(new SweepProgress(Interlocked.Increment(ref done), items.Count));
        });
        return Table(spec, rows.OrderBy(r => r.Item.Index).ToArray());
    }

    private sealed record ItemRows(SweepItem Item, List<ResultRow> Results, List<SystemRow> Systems);

    private static (string Key, int Seed) ElectorateKey(SweepSpec spec, string[] variantKeys, SweepItem it)
    {
        var sc = spec.Variants[it.Variant].Scenario;
        int seed = RunSeeds.Electorate(spec.Seed, it.Replicate, sc.VaryElectorate);
        return (variantKeys[it.Variant] + "\n" + seed.ToString(CultureInfo.InvariantCulture), seed);
    }

    private static ColumnTable Table(SweepSpec spec, IReadOnlyList<ItemRows> items)
    {
        int n = items.Sum(i => i.Results.Count);
        var item = new int[n]; var variant = new int[n]; var replicate = new int[n]; var seed = new long[n];
        var arm = new string[n]; var system = new string[n]; var party = new string[n]; var votes = new long[n]; var share = new double[n];
        var seats = new int[n]; var turnout = new double[n]; var spend = new double[n]; var contacts = new long[n];
        var gallagher = new double[n]; var enp = new double[n]; var gini = new double[n];
        var pars = spec.Parameters.Select(p => p.IsNumeric ? (Array)new double[n] : new string[n]).ToArray();
        int at = 0;
        foreach (var it in items)
        {
            var sys = it.Systems.ToDictionary(s => (s.Arm, s.System));
            var values = spec.Variants[it.Item.Variant].Values;
            foreach (var r in it.Results)
            {
                item[at] = it.Item.Index; variant[at] = it.Item.Variant; replicate[at] = r.Replicate; seed[at] = r.Seed;
                for (int p = 0; p < pars.Length; p++)
                    if (pars[p] is double[] d) d[at] = SweepParameter.Number(values[p]); else ((string[])pars[p])[at] = SweepParameter.Text(values[p]);
                arm[at] = r.Arm; system[at] = r.System; party[at] = r.Party; votes[at] = r.Votes; share[at] = r.Share; seats[at] = r.Seats;
                turnout[at] = r.Turnout; spend[at] = r.Spend; contacts[at] = r.Contacts;
                var s = sys[(r.Arm, r.System)];
                gallagher[at] = s.Gallagher; enp[at] = s.EnpSeats; gini[at] = s.InformationGini;
                at++;
            }
        }
        var cols = new List<TableColumn> { new("item", item), new("variant", variant) };
        cols.AddRange(spec.Parameters.Select((p, i) => new TableColumn(p.Name, pars[i])));
        cols.AddRange([new("replicate", replicate), new("seed", seed), new("arm", arm), new("system", system), new("party", party), new("votes", votes),
            new("share", share), new("seats", seats), new("turnout", turnout), new("spend", spend), new("contacts", contacts),
            new("gallagher", gallagher), new("enpSeats", enp), new("informationGini", gini)]);
        return new ColumnTable(cols);
    }

    private static string ShardDirectory(string directory, int shard) => Path.Combine(Path.GetFullPath(directory), "shards", shard.ToString(CultureInfo.InvariantCulture));
    private static string FailedPath(string directory, int shard) => Path.Combine(Path.GetFullPath(directory), "shards", shard.ToString(CultureInfo.InvariantCulture) + ".failed.json");

    private static bool IsDone(string shardDir, SweepPlan plan)
    {
        var m = Path.Combine(shardDir, "manifest.json");
        if (!File.Exists(m) || !File.Exists(Path.Combine(shardDir, "results.parquet"))) return false;
        var manifest = ReadShardManifest(m);
        if (manifest.PlanSha256 != plan.PlanSha256)
            throw new InvalidDataException($"{shardDir} was written for a different plan (plan SHA-256 {manifest.PlanSha256}); delete it or plan into a new folder.");
        return true;
    }

    /// <summary>What a shard's manifest.json records: its shard, plan, items, row count and the SHA-256 of its results.</summary>
    private sealed record ShardManifest(int Shard, string PlanSha256, int[] Items, int Rows, string ResultsSha256);

    /// <summary>
    /// A shard's manifest.json, read through its contract (<see cref="ShardManifestContract"/>); a damaged one is a
    /// <see cref="SpecValidationException"/> whose errors name the file and the JSON path and say to rerun the shard.
    /// </summary>
    private static ShardManifest ReadShardManifest(string path)
    {
        const string hint = "The shard was damaged: delete its folder and rerun the shard.";
        var errors = new List<ValidationError>();
        ShardManifestContract? c;
        try { c = Workbench.Json.JsonInput.Deserialize(Workbench.Json.JsonInput.ParseObject(File.ReadAllText(path), "a shard manifest"), "$", errors, ExperimentsJson.Contract.ShardManifestContract); }
        catch (SpecValidationException ex) { throw SweepPlan.InFile(path, ex.Errors, hint: hint); }
        if (c is null) throw SweepPlan.InFile(path, errors, hint: hint);
        Workbench.Json.JsonInput.UnknownFields(c.Unknown, "$", ShardManifestFields, errors);
        int? shard = Workbench.Json.JsonInput.Int(c.Shard, "$.shard", errors, null, 0, int.MaxValue, required: true);
        string? planSha = Workbench.Json.JsonInput.String(c.PlanSha256, "$.planSha256", errors, required: true);
        var items = new List<int>();
        if (!c.Items.Ok) errors.Add(new("$.items", $"expected an array of item numbers, got {Workbench.Json.JsonInput.Kind(c.Items.Raw)}."));
        else
            for (int i = 0; i < c.Items.Value.Count; i++)
                if (Workbench.Json.JsonInput.Int(c.Items.Value[i], $"$.items[{i}]", errors, null, 0, int.MaxValue, required: true) is int x) items.Add(x);
        int? rows = Workbench.Json.JsonInput.Int(c.Rows, "$.rows", errors, null, 0, int.MaxValue, required: true);
        string? resultsSha = Workbench.Json.JsonInput.String(c.ResultsSha256, "$.resultsSha256", errors, required: true);
        if (errors.Count > 0) throw SweepPlan.InFile(path, errors, hint: hint);
        return new ShardManifest(shard!.Value, planSha!, items.ToArray(), rows!.Value, resultsSha!);
    }

    /// <summary>The fields a shard's manifest.json has (<see cref="RunShard(SweepPlan, string, int, int?, IProgress{SweepProgress}?, CancellationToken)"/> writes them).</summary>
    private static readonly string[] ShardManifestFields = ["shard", "planSha256", "sweepSha256", "items", "rows", "resultsSha256", "library", "commit"];

    /// <summary>
    /// Reads shard <paramref name="k"/>'s results, checking its manifest against the plan (shard number, items, row count) and the
    /// results file against the SHA-256 the manifest records; any damage is an <see cref="InvalidDataException"/> naming the file.
    /// </summary>
    private static ColumnTable ReadShard(SweepPlan plan, string directory, int k)
    {
        var dir = ShardDirectory(directory, k);
        var manifestPath = Path.Combine(dir, "manifest.json");
        var parquet = Path.Combine(dir, "results.parquet");
        string Damaged(string what) => $"{manifestPath}: {what}; the shard was changed or damaged. Delete {dir} and rerun shard {k}.";
        var manifest = ReadShardManifest(manifestPath);
        if (manifest.Shard != k) throw new InvalidDataException(Damaged($"$.shard is {manifest.Shard}, not {k}"));
        var expected = plan.ItemsOf(k).Select(i => i.Index).Order().ToArray();
        if (!manifest.Items.SequenceEqual(expected)) throw new InvalidDataException(Damaged($"$.items does not list the {expected.Length} items the plan gives shard {k}"));
        int rows = manifest.Rows;
        if (FileSha256(parquet) != manifest.ResultsSha256) throw new InvalidDataException($"{parquet} does not match the SHA-256 in its manifest: the file was changed or damaged. Delete {dir} and rerun shard {k}.");
        ColumnTable table;
        try { table = ColumnTable.ReadParquet(parquet); }
        catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
        {
            throw new InvalidDataException($"{parquet} cannot be read ({ex.GetType().Name}: {ex.Message}). Delete {dir} and rerun shard {k}.", ex);
        }
        if (table.RowCount != rows) throw new InvalidDataException(Damaged($"$.rows is {rows} but {parquet} holds {table.RowCount} rows"));
        if (table.Columns.FirstOrDefault(c => c.Name == "item")?.Values is not int[]) throw new InvalidDataException($"{parquet} has no whole-number item column. Delete {dir} and rerun shard {k}.");
        return table;
    }

    internal static string FileSha256(string path)
    {
        using var fs = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(fs));
    }
}

/// <summary>The merged results of a sweep: one tidy row per item, arm, system and party, with the parameter values as columns.</summary>
public sealed class SweepResult(SweepSpec spec, ColumnTable table)
{
    /// <summary>The sweep.</summary>
    public SweepSpec Spec { get; } = spec;
    /// <summary>The rows: item, variant, one column per parameter, replicate, seed, arm, system, party, votes, share, seats, turnout, spend, contacts, gallagher, enpSeats, informationGini.</summary>
    public ColumnTable Table { get; } = table;

    /// <summary>The rows as a Microsoft.Data.Analysis DataFrame.</summary>
    public Microsoft.Data.Analysis.DataFrame ToDataFrame() => Table.ToDataFrame();

    /// <summary>The manifest: sweep hash, seed, replicates, variants with their scenario hashes, library and commit, and the SHA-256 of each results file (no shard count, no clock time: the same for any number of shards).</summary>
    public JsonObject Manifest(string parquetSha256, string csvSha256)
    {
        var (version, commit) = Simulation.LibraryVersion();
        return new JsonObject
        {
            ["sweep"] = Spec.Name, ["sweepSha256"] = Spec.Hash, ["seed"] = Spec.Seed, ["replicates"] = Spec.Replicates, ["items"] = Spec.ItemCount, ["rows"] = Table.RowCount,
            ["parameters"] = new JsonArray(Spec.Parameters.Select(p => (JsonNode?)new JsonObject { ["name"] = p.Name, ["path"] = p.Path }).ToArray()),
            ["variants"] = new JsonArray(Spec.Variants.Select(v => (JsonNode?)new JsonObject
            {
                ["variant"] = v.Index, ["values"] = new JsonArray(v.Values.Select(x => (JsonNode?)x.DeepClone()).ToArray()), ["scenarioSha256"] = v.ScenarioSha256,
            }).ToArray()),
            ["library"] = version, ["commit"] = commit, ["sdk"] = Simulation.BuildEnvironment().Sdk,
            ["files"] = new JsonObject { ["results.parquet"] = parquetSha256, ["results.csv"] = csvSha256 },
            ["kind"] = "sweep", ["sweepJson"] = JsonNode.Parse(Spec.CanonicalJson),
        };
    }

    /// <summary>Writes results.parquet, results.csv and manifest.json (each atomically, manifest last).</summary>
    public void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var parquet = Path.Combine(directory, "results.parquet");
        var csv = Path.Combine(directory, "results.csv");
        Table.WriteParquet(parquet);
        var csvText = Table.ToCsv();
        AtomicFile.WriteAllText(csv, csvText);
        AtomicFile.WriteAllText(Path.Combine(directory, "manifest.json"), Manifest(Sweep.FileSha256(parquet), SweepSpec.Sha256(csvText)).ToJsonString(SweepPlan.Pretty) + "\n");
    }

    /// <summary>Loads a merged sweep's results table from DIR/results.parquet.</summary>
    public static ColumnTable Load(string directory)
    {
        var parquet = Path.Combine(directory, "results.parquet");
        if (!File.Exists(parquet)) throw new FileNotFoundException($"'{directory}' holds no results.parquet; merge the sweep first ('workbench sweep merge {directory}').", parquet);
        return ColumnTable.ReadParquet(parquet);
    }
}

/// <summary>The launch files of a plan: one contract (<c>workbench sweep run DIR --shard K</c>) for every scheduler.</summary>
internal static class SweepLaunch
{
    /// <summary>How this process was started, as a shell command: the apphost, or "dotnet path/Workbench.Cli.dll".</summary>
    internal static string DefaultCommand()
    {
        var process = Environment.ProcessPath ?? "workbench";
        var entry = System.Reflection.Assembly.GetEntryAssembly()?.Location;
        bool viaDotnet = Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        if (viaDotnet && entry is { Length: > 0 } && Path.GetFileName(entry).Equals("Workbench.Cli.dll", StringComparison.OrdinalIgnoreCase)) return Quote(process) + " " + Quote(entry);
        if (!viaDotnet) return Quote(process); // the apphost or the installed tool's shim
        return "workbench"; // a notebook or another host: assume the installed tool
    }

    internal static string Quote(string s) => s.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+=:,@".Contains(c)) ? s : "'" + s.Replace("'", "'\\''") + "'";

    internal static string Sbatch(string name, string dir, int shards, SweepLaunchOptions o, string cmd)
    {
        var sb = new StringBuilder("#!/usr/bin/env bash\n");
        sb.Append("# Slurm array job for the Workbench sweep '").Append(name).Append("' (written by 'workbench sweep plan'; see docs/scale-out.md).\n");
        sb.Append("# Submit from any folder: sbatch ").Append(Quote(Path.Combine(dir, "sweep.sbatch"))).Append("   then: workbench sweep status ").Append(Quote(dir)).Append(" ; workbench sweep merge ").Append(Quote(dir)).Append('\n');
        sb.Append("#SBATCH --job-name=wb-").Append(Slug(name)).Append('\n');
        sb.Append("#SBATCH --array=0-").Append(shards - 1).Append('\n');
        sb.Append("#SBATCH --cpus-per-task=").Append(o.CpusPerTask).Append('\n');
        sb.Append("#SBATCH --mem=").Append(o.Memory).Append('\n');
        sb.Append("#SBATCH --time=").Append(o.Time).Append('\n');
        if (o.Partition is not null) sb.Append("#SBATCH --partition=").Append(o.Partition).Append('\n');
        if (o.Account is not null) sb.Append("#SBATCH --account=").Append(o.Account).Append('\n');
        sb.Append("#SBATCH --output=").Append(Path.Combine(dir, "logs", "shard-%a.out")).Append('\n');
        sb.Append("set -euo pipefail\n");
        sb.Append("SWEEP_DIR=").Append(Quote(dir)).Append('\n');
        sb.Append(Function(cmd));
        sb.Append("# The shard contract: task K runs shard K; rerunning a finished shard does nothing.\n");
        sb.Append("workbench_cmd sweep run \"$SWEEP_DIR\" --shard \"$SLURM_ARRAY_TASK_ID\" --threads \"${SLURM_CPUS_PER_TASK:-1}\"\n");
        return sb.ToString();
    }

    internal static string Kubernetes(string name, int shards, SweepLaunchOptions o) =>
        $$"""
        # Kubernetes Indexed Job for the Workbench sweep '{{name}}' (a template: set the image and the volume; see docs/scale-out.md).
        # Each pod runs shard $JOB_COMPLETION_INDEX; the sweep folder (plan.json, shards/) must be on a shared volume mounted at /sweep.
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: wb-{{Slug(name)}}
        spec:
          completionMode: Indexed
          completions: {{shards}}
          parallelism: {{shards}}
          backoffLimit: {{shards * 2}}
          template:
            spec:
              restartPolicy: Never
              containers:
                - name: shard
                  image: {{o.Image}}
                  command: ["sh", "-c", "workbench sweep run /sweep --shard $JOB_COMPLETION_INDEX --threads {{o.CpusPerTask}}"]
                  resources:
                    requests: { cpu: "{{o.CpusPerTask}}", memory: "{{KubeMemory(o.Memory)}}" }
                  volumeMounts:
                    - { name: sweep, mountPath: /sweep }
              volumes:
                - name: sweep
                  persistentVolumeClaim: { claimName: workbench-sweeps }

        """;

    /// <summary>Slurm memory ("4G", "500M") in Kubernetes units ("4Gi", "500Mi").</summary>
    private static string KubeMemory(string m) => m.Length > 0 && "KMGT".Contains(char.ToUpperInvariant(m[^1])) ? m[..^1] + char.ToUpperInvariant(m[^1]) + "i" : m;

    internal static string GnuParallel(string dir, int shards, SweepLaunchOptions o, string cmd) =>
        "#!/usr/bin/env bash\n" +
        "# Runs every shard of this sweep, JOBS at a time (GNU parallel when installed, else xargs -P), then merges.\n" +
        "# Same contract as the Slurm array: './parallel.sh --shard K' runs shard K alone.\n" +
        "set -euo pipefail\n" +
        $"SWEEP_DIR={Quote(dir)}\n" +
        Function(cmd) +
        $"if [ \"${{1:-}}\" = --shard ]; then workbench_cmd sweep run \"$SWEEP_DIR\" --shard \"$2\" --threads {o.CpusPerTask}; exit; fi\n" +
        "self=\"$(cd \"$(dirname \"$0\")\" && pwd)/$(basename \"$0\")\"\n" +
        "if command -v parallel >/dev/null 2>&1; then\n" +
        $"  seq 0 {shards - 1} | parallel --jobs \"${{JOBS:-1}}\" --halt now,fail=1 bash \"$self\" --shard {{}}\n" +
        "else\n" +
        $"  seq 0 {shards - 1} | xargs -P \"${{JOBS:-1}}\" -I{{}} bash \"$self\" --shard {{}}\n" +
        "fi\n" +
        "workbench_cmd sweep merge \"$SWEEP_DIR\"\n";

    /// <summary>A bash function running workbench: the planned command, or $WORKBENCH when set.</summary>
    private static string Function(string cmd) =>
        "# How to start workbench on the compute node; override with WORKBENCH=... (e.g. WORKBENCH=workbench for the installed tool).\n" +
        $"workbench_cmd() {{ if [ -n \"${{WORKBENCH:-}}\" ]; then $WORKBENCH \"$@\"; else {cmd} \"$@\"; fi; }}\n";

    private static string Slug(string s)
    {
        var chars = s.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        var slug = new string(chars).Trim('-');
        return slug.Length == 0 ? "sweep" : slug.Length > 40 ? slug[..40].TrimEnd('-') : slug;
    }
}

/// <summary>
/// A sweep's plan.json as its contract reads it (<see cref="SweepPlan.Load"/>), loosely (<see cref="Loose{T}"/>) with unknown
/// fields collected in <see cref="Unknown"/>, so every problem is reported at once with its path. <c>sweep</c> is the canonical
/// sweep, kept as written for <see cref="SweepSpec.Parse"/>; each of <c>items</c> is an array [item, variant, replicate, seed,
/// shard] whose shard is checked against the plan's rule; the fields written for readers (name, variants, …) are accepted as written.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
internal sealed record SweepPlanContract
{
    /// <summary>workbench-sweep-plan/1.</summary>
    public Loose<string> Format { get; init; }
    /// <summary>Recorded for readers.</summary>
    public JsonNode? Name { get; init; }
    /// <summary>The hash the sweep must still have.</summary>
    public Loose<string> SweepSha256 { get; init; }
    /// <summary>Number of shards.</summary>
    public Loose<int> Shards { get; init; }
    /// <summary>Recorded for readers.</summary>
    public JsonNode? Replicates { get; init; }
    /// <summary>Recorded for readers.</summary>
    public JsonNode? Seed { get; init; }
    /// <summary>The folder the sweep's files resolve against.</summary>
    public Loose<string> BaseDirectory { get; init; }
    /// <summary>The canonical sweep.</summary>
    public Loose<JsonObject> Sweep { get; init; }
    /// <summary>Recorded for readers.</summary>
    public JsonNode? Parameters { get; init; }
    /// <summary>Recorded for readers.</summary>
    public JsonNode? Variants { get; init; }
    /// <summary>One [item, variant, replicate, seed, shard] per item.</summary>
    public Loose<IReadOnlyList<Loose<JsonArray>>> Items { get; init; }
    /// <summary>Recorded for readers.</summary>
    public JsonNode? ItemColumns { get; init; }
    /// <summary>The library version that planned it.</summary>
    public Loose<string> Library { get; init; }
    /// <summary>Recorded for readers.</summary>
    public JsonNode? Commit { get; init; }
    /// <summary>Whether the sweep was planned with --allow-outside-paths.</summary>
    public Loose<bool> AllowOutsidePaths { get; init; }
    /// <summary>Fields the format does not have, in file order (each an error).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}

/// <summary>
/// A shard's manifest.json as its contract reads it (<see cref="Sweep"/>'s shard checks), loosely, with unknown fields
/// collected; the plan's and the sweep's hashes and the library are recorded by <c>sweep run</c>.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
internal sealed record ShardManifestContract
{
    /// <summary>The shard number.</summary>
    public Loose<int> Shard { get; init; }
    /// <summary>SHA-256 of the plan.json the shard ran.</summary>
    public Loose<string> PlanSha256 { get; init; }
    /// <summary>Recorded for readers.</summary>
    public JsonNode? SweepSha256 { get; init; }
    /// <summary>The items the shard ran, in order.</summary>
    public Loose<IReadOnlyList<Loose<int>>> Items { get; init; }
    /// <summary>Rows of results.parquet.</summary>
    public Loose<int> Rows { get; init; }
    /// <summary>SHA-256 of results.parquet.</summary>
    public Loose<string> ResultsSha256 { get; init; }
    /// <summary>Recorded for readers.</summary>
    public JsonNode? Library { get; init; }
    /// <summary>Recorded for readers.</summary>
    public JsonNode? Commit { get; init; }
    /// <summary>Fields the format does not have, in file order (each an error).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}
