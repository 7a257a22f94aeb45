using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Workbench.Random;
namespace Workbench.Data;

/// <summary>Cell-level data: the mean of an attribute over cells of at least k households.</summary>
public sealed record CellTable(string Attribute, DataSource Source, int MinimumHouseholds, ImmutableArray<float> Mean, ImmutableArray<int> Households, ImmutableArray<int> Voters);

/// <summary>
/// What a campaign may see of an electorate under a <see cref="DataRegime"/>. Enforcement lives
/// here: every read names its source; a forbidden source, a banned attribute, or individual data
/// under an aggregated regime is refused with a <see cref="RegimeViolationException"/> naming the
/// rule. Under an aggregated regime the only data paths are cell tables over cells of at least
/// <see cref="DataRegime.MinimumUnitHouseholds"/> households (consecutive households of one
/// neighbourhood), so no API path returns individual values.
/// </summary>
public sealed class VoterData
{
    /// <summary>Attributes a campaign can ask for, and the sources that carry each.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<DataSource>> Catalogue { get; } = new System.Collections.ObjectModel.ReadOnlyDictionary<string, IReadOnlyList<DataSource>>(new Dictionary<string, IReadOnlyList<DataSource>>
    {
        ["age"] = [DataSource.VoterFile, DataSource.PlatformTargeting, DataSource.ConsumerData],
        ["gender"] = [DataSource.VoterFile, DataSource.PlatformTargeting, DataSource.ConsumerData],
        ["urban"] = [DataSource.VoterFile, DataSource.PlatformTargeting],
        ["past_turnout"] = [DataSource.VoterFile],
        ["education"] = [DataSource.ConsumerData, DataSource.PlatformTargeting, DataSource.Polls],
        ["income_quintile"] = [DataSource.ConsumerData, DataSource.Polls],
        ["minority"] = [DataSource.ConsumerData, DataSource.Polls],
        ["health"] = [DataSource.ConsumerData],
        ["interest"] = [DataSource.Canvass, DataSource.Polls, DataSource.PlatformTargeting],
        ["support"] = [DataSource.Canvass, DataSource.Polls],
    });

    /// <summary>Every attribute name.</summary>
    public static IReadOnlyCollection<string> Attributes => (IReadOnlyCollection<string>)Catalogue.Keys;

    private readonly Workbench.Electorate.Electorate _e;
    private int[]? _cellOfVoter;
    private int _cells;

    private readonly ulong _seed;

    private VoterData(Workbench.Electorate.Electorate e, DataRegime regime, DataQuality quality, ulong seed) { _e = e; Regime = regime; Quality = quality; _seed = seed; }

    /// <summary>The regime in force.</summary>
    public DataRegime Regime { get; }
    /// <summary>How well each source observes the truth.</summary>
    public DataQuality Quality { get; }

    /// <summary>
    /// A view of <paramref name="electorate"/> under <paramref name="regime"/> (validated), with sources observing the truth as
    /// <paramref name="quality"/> says (default: perfectly); <paramref name="seed"/> fixes which records are missing, wrong or stale.
    /// </summary>
    public static VoterData Open(Workbench.Electorate.Electorate electorate, DataRegime regime, DataQuality? quality = null, int? seed = null) =>
        Open(electorate, regime, quality, Workbench.Random.Seeds.Resolve(seed));

    internal static VoterData Open(Workbench.Electorate.Electorate electorate, DataRegime regime, DataQuality? quality, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(electorate); ArgumentNullException.ThrowIfNull(regime);
        Parameters.ThrowIfAny(regime.Validate());
        quality ??= DataQuality.Perfect;
        Parameters.ThrowIfAny(quality.Validate());
        return new VoterData(electorate, regime, quality, seed);
    }

    /// <summary>Whether <paramref name="source"/> holds a record for voter <paramref name="i"/> (coverage is per source and voter, whatever the attribute).</summary>
    public bool HasRecord(DataSource source, int i)
    {
        var q = Quality.Of(source);
        if (q.Coverage >= 1) return true;
        var r = new Random.RandomStream(_seed, StreamCoverage, (ulong)source << 40 | (uint)i);
        return r.NextDouble() < q.Coverage;
    }

    private const uint StreamCoverage = StreamIds.DataCoverage, StreamObservation = StreamIds.DataObservation;

    /// <summary>What <paramref name="source"/> records for voter <paramref name="i"/>: NaN without a record; another voter's value for a wrong record; an out-of-date age for a stale one.</summary>
    private float Observed(string attribute, DataSource source, int i)
    {
        var q = Quality.Of(source);
        if (q.Coverage >= 1 && q.ErrorRate == 0 && q.StaleShare == 0) return Value(attribute, i);
        if (!HasRecord(source, i)) return float.NaN;
        var r = new Random.RandomStream(_seed, StreamObservation, ((ulong)source << 40 | (uint)i) ^ ((ulong)(uint)Array.IndexOf(AttributeOrder, attribute) << 32));
        if (r.NextDouble() < q.ErrorRate) return Value(attribute, r.NextInt(_e.VoterCount));
        if (attribute == "age" && r.NextDouble() < q.StaleShare) return Math.Max(0, Value(attribute, i) - (float)q.StaleYears);
        return Value(attribute, i);
    }

    private static readonly string[] AttributeOrder = ["age", "gender", "urban", "past_turnout", "education", "income_quintile", "minority", "health", "interest", "support"];

    private void Check(string attribute, DataSource source)
    {
        if (!Catalogue.TryGetValue(attribute, out var carriers))
            throw new ArgumentException($"Unknown attribute '{attribute}'. Known: {string.Join(", ", Catalogue.Keys)}.", nameof(attribute));
        if (!Regime.AllowedSources.Contains(source))
            throw new RegimeViolationException(Regime.Name, "allowedSources", $"the source {source} may not be used.");
        if (Regime.BannedAttributes.Contains(attribute))
            throw new RegimeViolationException(Regime.Name, "bannedAttributes", $"the attribute '{attribute}' may not be read or targeted.");
        if (!carriers.Contains(source))
            throw new ArgumentException($"The source {source} does not carry '{attribute}'; sources that do: {string.Join(", ", carriers)}.", nameof(source));
    }

    /// <summary>Individual values as the source records them (one per voter; NaN where the source holds no record). Refused under an aggregated regime.</summary>
    public float[] Individual(string attribute, DataSource source)
    {
        Check(attribute, source);
        if (Regime.Aggregated)
            throw new RegimeViolationException(Regime.Name, Regime.IndividualModelling ? "minimumUnitHouseholds" : "individualModelling",
                $"individual data is not available; use cells of at least {Regime.MinimumUnitHouseholds} households.");
        var v = new float[_e.VoterCount];
        for (int i = 0; i < v.Length; i++) v[i] = Observed(attribute, source, i);
        return v;
    }

    /// <summary>
    /// The first source among <paramref name="candidates"/> (in catalogue order) that carries <paramref name="attribute"/>
    /// and the regime allows, or null when none does or the attribute is banned.
    /// </summary>
    public DataSource? UsableSource(string attribute, Func<DataSource, bool> candidates)
    {
        if (Regime.BannedAttributes.Contains(attribute) || !Catalogue.TryGetValue(attribute, out var carriers)) return null;
        foreach (var s in carriers) if (candidates(s) && Regime.AllowedSources.Contains(s)) return s;
        return null;
    }

    /// <summary>
    /// Why <paramref name="regime"/> refuses a campaign targeting messages on <paramref name="attribute"/> — the attribute is
    /// banned, or no source the regime allows carries it — or null when it may. Unknown attributes are the caller's to report.
    /// </summary>
    public static string? TargetingRefusal(DataRegime regime, string attribute)
    {
        ArgumentNullException.ThrowIfNull(regime);
        if (regime.BannedAttributes.Contains(attribute)) return $"the regime '{regime.Name}' bans the attribute '{attribute}' (bannedAttributes): it may not be read or targeted.";
        if (!Catalogue.TryGetValue(attribute, out var carriers)) return null;
        if (!carriers.Any(regime.AllowedSources.Contains))
            return $"no source the regime '{regime.Name}' allows carries '{attribute}' (sources that do: {string.Join(", ", carriers)}).";
        return null;
    }

    /// <summary>
    /// Refuses, with a <see cref="RegimeViolationException"/>, targeting messages on <paramref name="attribute"/> when the regime
    /// bans it or allows no source that carries it (<see cref="TargetingRefusal"/>).
    /// </summary>
    public void RequireTargetable(string attribute)
    {
        if (!Catalogue.ContainsKey(attribute))
            throw new ArgumentException($"Unknown attribute '{attribute}'. Known: {string.Join(", ", Catalogue.Keys)}.", nameof(attribute));
        if (TargetingRefusal(Regime, attribute) is string why)
            throw new RegimeViolationException(Regime.Name, Regime.BannedAttributes.Contains(attribute) ? "bannedAttributes" : "allowedSources", why);
    }

    /// <summary>A per-voter feature column: individual values, or under an aggregated regime each voter's cell mean.</summary>
    public float[] PerVoter(string attribute, DataSource source)
    {
        if (!Regime.Aggregated) return Individual(attribute, source);
        var cells = Cells(attribute, source);
        var v = new float[_e.VoterCount];
        for (int i = 0; i < v.Length; i++) v[i] = cells.Mean[_cellOfVoter![i]];
        return v;
    }

    /// <summary>The cell of each voter (cells hold at least the regime's minimum of households; 1 household each when individual data is allowed).</summary>
    public int CellOf(int voter) { EnsureCells(); return _cellOfVoter![voter]; }

    /// <summary>Number of cells.</summary>
    public int CellCount { get { EnsureCells(); return _cells; } }

    /// <summary>Cell means of an attribute over the voters the source holds a record for (each cell at least the regime's minimum of households; NaN when none).</summary>
    public CellTable Cells(string attribute, DataSource source)
    {
        Check(attribute, source);
        EnsureCells();
        var sum = new double[_cells]; var voters = new int[_cells]; var households = new int[_cells]; var known = new int[_cells];
        int lastHousehold = -1;
        for (int i = 0; i < _e.VoterCount; i++)
        {
            int c = _cellOfVoter![i];
            float v = Observed(attribute, source, i);
            if (!float.IsNaN(v)) { sum[c] += v; known[c]++; }
            voters[c]++;
            if (_e.Household[i] != lastHousehold) { households[c]++; lastHousehold = _e.Household[i]; }
        }
        var mean = new float[_cells];
        for (int c = 0; c < _cells; c++) mean[c] = known[c] > 0 ? (float)(sum[c] / known[c]) : float.NaN;
        return new CellTable(attribute, source, Regime.MinimumUnitHouseholds, mean.Frozen(), households.Frozen(), voters.Frozen());
    }

    private void EnsureCells()
    {
        if (_cellOfVoter is not null) return;
        int k = Regime.MinimumUnitHouseholds, n = _e.VoterCount;
        var cellOf = new int[n];
        int cell = -1, inCell = 0, cellStartNeighbourhood = -1, lastHousehold = -1;
        // First pass: households per neighbourhood, so the last cell of a neighbourhood can absorb a short remainder.
        var hhPerNb = new int[_e.NeighbourhoodCount];
        for (int i = 0; i < n; i++) if (_e.Household[i] != lastHousehold) { hhPerNb[_e.Neighbourhood[i]]++; lastHousehold = _e.Household[i]; }
        lastHousehold = -1;
        int seenInNb = 0;
        for (int i = 0; i < n; i++)
        {
            int nbh = _e.Neighbourhood[i];
            if (_e.Household[i] != lastHousehold)
            {
                lastHousehold = _e.Household[i];
                if (nbh != cellStartNeighbourhood) { cellStartNeighbourhood = nbh; seenInNb = 0; cell++; inCell = 0; }
                else if (inCell >= k && hhPerNb[nbh] - seenInNb >= k) { cell++; inCell = 0; }
                inCell++; seenInNb++;
            }
            cellOf[i] = cell;
        }
        _cellOfVoter = cellOf;
        _cells = cell + 1;
    }

    private float Value(string attribute, int i) => attribute switch
    {
        "age" => _e.Age[i],
        "gender" => _e.Gender[i],
        "urban" => _e.Urban[i],
        "past_turnout" => _e.PastTurnout[i],
        "education" => _e.Education[i],
        "income_quintile" => _e.IncomeQuintile[i],
        "minority" => _e.Minority[i],
        "health" => _e.Health[i],
        "interest" => (float)_e.Interest[i],
        "support" => _e.PartyId[i],
        _ => throw new ArgumentException($"Unknown attribute '{attribute}'.", nameof(attribute)),
    };
}
