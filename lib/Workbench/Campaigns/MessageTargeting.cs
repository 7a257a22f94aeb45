using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Workbench.Random;
using Workbench.Statistics;

namespace Workbench.Campaigns;

/// <summary>One rule for choosing messages in a <see cref="TargetingComparison"/>, with its results per replicate.</summary>
/// <param name="Name">"single message", the attribute names joined by '+', or "oracle (…)".</param>
/// <param name="Attributes">The attributes the rule targets on (none for the single message).</param>
/// <param name="Cells">Cells of the electorate the rule sends a message to (the product of the attributes' levels).</param>
/// <param name="Tested">Per replicate: mean true persuasion over the electorate when each cell gets the candidate its pretest picked.</param>
/// <param name="Oracle">Per replicate: the same with each cell getting its truly most persuasive candidate (what a perfectly powered pretest would pick).</param>
/// <param name="Premium">Per replicate: the percentage by which <paramref name="Tested"/> beats the single message picked by the same pretest.</param>
public sealed record TargetingRule(string Name, IReadOnlyList<string> Attributes, int Cells, ImmutableArray<double> Tested, ImmutableArray<double> Oracle, ImmutableArray<double> Premium)
{
    /// <summary>Mean true persuasion of the tested rule, with its 95% interval over replicates.</summary>
    public MeanInterval TestedMean => Intervals.Mean95(Tested);
    /// <summary>Mean true persuasion of the oracle for the same cells, with its 95% interval over replicates.</summary>
    public MeanInterval OracleMean => Intervals.Mean95(Oracle);
    /// <summary>Premium over the single message (percent), with its 95% interval over replicates.</summary>
    public MeanInterval PremiumMean => Intervals.Mean95(Premium);
}

/// <summary>
/// What targeting messages on observable attributes buys over the best single message (<see cref="MessageTargeting.Compare(MessageSpace, IReadOnlyList{string}, long, int, int?, int, int, int?)"/>):
/// one <see cref="TargetingRule"/> per rule, first the single message, then targeting on each attribute, on each pair and
/// triple of them, and last the oracle on all of them.
/// </summary>
/// <param name="Attributes">The attributes compared.</param>
/// <param name="Impressions">Respondents of each replicate's pretest (the same respondents serve every rule).</param>
/// <param name="Candidates">Variants on each replicate's shortlist.</param>
/// <param name="Replicates">Replicates (new shortlist and new respondents each).</param>
/// <param name="Heterogeneity">The space's <see cref="MessageSpaceSpec.AttributeHeterogeneity"/>.</param>
/// <param name="Rules">The rules, in the order described above.</param>
public sealed record TargetingComparison(IReadOnlyList<string> Attributes, long Impressions, int Candidates, int Replicates, double Heterogeneity, IReadOnlyList<TargetingRule> Rules)
{
    /// <summary>The single message picked by the pretest pooled over every cell.</summary>
    public TargetingRule Single => Rules[0];

    /// <summary>The rule named <paramref name="name"/> (e.g. "age", "age+education", "single message").</summary>
    public TargetingRule this[string name] => Rules.FirstOrDefault(r => r.Name == name)
        ?? throw new ArgumentException($"No rule '{name}'; rules: {string.Join(", ", Rules.Select(r => r.Name))}.", nameof(name));

    /// <summary>
    /// The paired difference, replicate by replicate, of rule <paramref name="rule"/>'s premium minus rule
    /// <paramref name="against"/>'s (percentage points of the single message), with its 95% interval.
    /// </summary>
    public MeanInterval Difference(string rule, string against)
    {
        var a = this[rule]; var b = this[against];
        return Intervals.Mean95(a.Premium.Select((p, r) => p - b.Premium[r]));
    }

    /// <summary>
    /// For a rule on two or more attributes: its premium minus the premium of the best of its single attributes (the one with
    /// the highest mean premium), paired by replicate, in percentage points with a 95% interval; null for other rules.
    /// </summary>
    public MeanInterval? OverBestOneAttribute(string rule)
    {
        var r = this[rule];
        if (r.Attributes.Count < 2 || r.Name.StartsWith("oracle", StringComparison.Ordinal)) return null;
        return Difference(rule, BestSingle(r).Name);
    }

    /// <summary>
    /// For a rule on two or more attributes: the two-sided p-value of the paired t test that its premium equals that of its best
    /// single attribute (the difference <see cref="OverBestOneAttribute"/> summarises); null for other rules. Several such
    /// comparisons from one run are a family: adjust them together (<see cref="Significance.Holm"/>).
    /// </summary>
    public double? OverBestOneAttributeP(string rule)
    {
        var r = this[rule];
        if (r.Attributes.Count < 2 || r.Name.StartsWith("oracle", StringComparison.Ordinal)) return null;
        var best = BestSingle(r);
        return Significance.MeanZeroP(r.Premium.Select((p, i) => p - best.Premium[i]));
    }

    // The single attribute of a multi-attribute rule with the highest mean premium.
    private TargetingRule BestSingle(TargetingRule r) => r.Attributes.Select(a => this[a]).MaxBy(x => x.Premium.Average())!;

    /// <summary>The comparison as a fixed-width text table (one line per rule; means with 95% intervals).</summary>
    public string ToText()
    {
        var ci = CultureInfo.InvariantCulture;
        string Ci(MeanInterval m, string f) => $"{m.Mean.ToString(f, ci)} ({m.Low.ToString(f, ci)}, {m.High.ToString(f, ci)})";
        int w = Math.Max(16, Rules.Max(r => r.Name.Length));
        var sb = new StringBuilder();
        sb.Append(ci, $"Message targeting: {Impressions:N0} pretest respondents, {Candidates} candidates, {Replicates} replicates, attribute heterogeneity {Heterogeneity:G4}").Append('\n');
        sb.Append("rule".PadRight(w)).Append("  cells  ").Append("tested persuasion (95% CI)".PadRight(30)).Append("premium % (95% CI)".PadRight(24))
          .Append("over best 1 attr. (points)".PadRight(28)).Append("oracle persuasion (95% CI)").Append('\n');
        foreach (var r in Rules)
            sb.Append(r.Name.PadRight(w)).Append("  ").Append(r.Cells.ToString(ci).PadLeft(5)).Append("  ")
              .Append(Ci(r.TestedMean, "F5").PadRight(30)).Append(Ci(r.PremiumMean, "F1").PadRight(24))
              .Append((OverBestOneAttribute(r.Name) is { } d ? Ci(d, "F1") : "").PadRight(28)).Append(Ci(r.OracleMean, "F5")).Append('\n');
        return sb.ToString();
    }
}

/// <summary>A campaign's pretest result applied to the electorate: each voter's message and its persuasion factor.</summary>
/// <param name="Cells">Cells targeted (1 without targeting attributes).</param>
/// <param name="Winner">The variant sent to each cell.</param>
/// <param name="Factor">Per voter: the true mean persuasion of the voter's cell's variant in that cell, relative to the average variant in the cell.</param>
/// <param name="MeanFactor">Mean of <paramref name="Factor"/> over the electorate.</param>
public sealed record MessagePlan(int Cells, ImmutableArray<int> Winner, ImmutableArray<double> Factor, double MeanFactor);

/// <summary>
/// Targeting messages on observable attributes (MODEL.md §5; Tappin, Wittenberg, Hewitt, Berinsky &amp; Rand 2023, PNAS 120(25)).
/// A campaign pretests a shortlist of candidate variants in a randomised persuasion experiment (a survey experiment: each
/// respondent, drawn at random from the electorate, sees one candidate and reports an outcome whose mean is that candidate's
/// true persuasion of them, with <see cref="MessageSpaceSpec.PretestOutcomeSd"/> of noise), splits the respondents into the
/// cells of the attributes it targets on, and sends each cell the candidate with the highest estimated effect there — an
/// empirical-Bayes estimate that shrinks the cell's own mean toward the candidate's pooled mean by as much as the cell's
/// noise exceeds the spread of true cell differences the data reveal (so without heterogeneity every cell gets the pooled
/// winner). A fixed number of respondents split over more cells measures each cell less well, so the gain from finer cells
/// is bought with noisier, more shrunken estimates — nothing in the code caps what more attributes can add.
/// <para>Respondents are spread evenly over the candidates and fall into cells in proportion to the cells' sizes; the mean
/// outcome of n respondents of a cell on a candidate is drawn by its normal approximation (true cell mean plus noise of
/// variance (σ² + the within-cell variance of the true effect)/n), the same draws serving the pooled analysis and every
/// partition of the cells. A cell with less than one respondent per candidate gets the single message.</para>
/// </summary>
public static class MessageTargeting
{
    private static readonly string[] AttributeNames = ["age", "gender", "education", "urban", "income_quintile", "minority", "health"];

    /// <summary>The observable attributes messages can be targeted on (names of <see cref="Workbench.Data.VoterData.Catalogue"/>).</summary>
    public static IReadOnlyList<string> Attributes { get; } = Array.AsReadOnly(AttributeNames);

    private static readonly int[] Counts = [6, 3, 3, 2, 5, 2, 2];
    private static readonly string[][] Names =
    [
        ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"], ["female", "male", "other"], ["low", "middle", "high"], ["rural", "urban"],
        ["1", "2", "3", "4", "5"], ["no", "yes"], ["no", "yes"],
    ];
    private static readonly int[] Offsets = [0, 6, 9, 12, 14, 19, 21];

    /// <summary>Levels of every attribute together.</summary>
    public static int TotalLevels => 23;

    /// <summary>Number of levels of attribute <paramref name="a"/> (index into <see cref="Attributes"/>).</summary>
    public static int LevelCount(int a) => Counts[a];

    /// <summary>Labels of the levels of <paramref name="attribute"/> (age in bands 18-24 … 65+, income by quintile).</summary>
    public static IReadOnlyList<string> LevelNames(string attribute) => Names[IndexOf(attribute)];

    internal static int LevelOffset(int a) => Offsets[a];

    private static int IndexOf(string attribute)
    {
        int a = Array.IndexOf(AttributeNames, attribute);
        return a >= 0 ? a : throw new ArgumentException($"Unknown targeting attribute '{attribute}'; known: {string.Join(", ", Attributes)}.", nameof(attribute));
    }

    /// <summary>Voter <paramref name="i"/>'s level on attribute <paramref name="a"/> (0-based).</summary>
    public static int Level(Electorate.Electorate e, int a, int i)
    {
        ArgumentNullException.ThrowIfNull(e);
        return a switch
        {
            0 => e.Age[i] switch { < 25 => 0, < 35 => 1, < 45 => 2, < 55 => 3, < 65 => 4, _ => 5 },
            1 => Math.Min(2, (int)e.Gender[i]),
            2 => Math.Min(2, (int)e.Education[i]),
            3 => e.Urban[i] != 0 ? 1 : 0,
            4 => Math.Clamp(e.IncomeQuintile[i] - 1, 0, 4),
            5 => e.Minority[i] != 0 ? 1 : 0,
            6 => e.Health[i] != 0 ? 1 : 0,
            _ => throw new ArgumentOutOfRangeException(nameof(a)),
        };
    }

    internal static byte[] LevelsOf(Electorate.Electorate e)
    {
        int A = Attributes.Count;
        var v = new byte[(long)e.VoterCount * A];
        for (int i = 0; i < e.VoterCount; i++) for (int a = 0; a < A; a++) v[i * A + a] = (byte)Level(e, a, i);
        return v;
    }

    /// <summary>Checks a list of targeting attributes: known names, none twice (errors at <paramref name="path"/>[k]).</summary>
    public static IReadOnlyList<ValidationError> Validate(IReadOnlyList<string>? attributes, string path)
    {
        var errors = new List<ValidationError>();
        if (attributes is null) { errors.Add(new(path, "give a list of attribute names (empty: no targeting).")); return errors; }
        for (int k = 0; k < attributes.Count; k++)
        {
            if (!Attributes.Contains(attributes[k])) errors.Add(new($"{path}[{k}]", $"'{attributes[k]}' is not a targeting attribute; known: {string.Join(", ", Attributes)}."));
            else if (attributes.Take(k).Contains(attributes[k])) errors.Add(new($"{path}[{k}]", $"'{attributes[k]}' is listed twice."));
        }
        return errors;
    }

    /// <summary>The cell of each voter on the given attributes (mixed radix in the order given) and the number of cells.</summary>
    public static (int[] CellOf, int Cells) CellsOf(Electorate.Electorate e, IReadOnlyList<string> attributes)
    {
        ArgumentNullException.ThrowIfNull(e); ArgumentNullException.ThrowIfNull(attributes);
        Parameters.ThrowIfAny(Validate(attributes, "attributes"));
        var idx = attributes.Select(IndexOf).ToArray();
        int cells = idx.Aggregate(1, (p, a) => p * Counts[a]);
        var cellOf = new int[e.VoterCount];
        for (int i = 0; i < cellOf.Length; i++)
        {
            int c = 0;
            foreach (int a in idx) c = c * Counts[a] + Level(e, a, i);
            cellOf[i] = c;
        }
        return (cellOf, cells);
    }

    /// <summary>Per cell: voters, and per cell × variant the sum and the sum of squares of the true persuasion over the cell's voters.</summary>
    private static (long[] N, double[] Sum, double[] SumSq) Truth(MessageSpace space, int[] cellOf, int cells, int[] variants, int threads)
    {
        int V = variants.Length, n = cellOf.Length;
        var count = new long[cells];
        foreach (int c in cellOf) count[c]++;
        var sum = new double[(long)cells * V]; var sq = new double[(long)cells * V];
        // One variant per work item, voters in order: the sums do not depend on the thread count.
        DeterministicParallel.ForChunks(V, threads, (s, end) =>
        {
            for (int j = (int)s; j < end; j++)
                for (int i = 0; i < n; i++)
                {
                    double p = space.Persuasion(i, variants[j]);
                    long at = (long)cellOf[i] * V + j;
                    sum[at] += p; sq[at] += p * p;
                }
        }, chunk: 1);
        return (count, sum, sq);
    }

    /// <summary>One pretest: each finest cell × candidate's respondents and the sum of their outcomes.</summary>
    private static (double[] N, double[] Y) Pretest(long[] count, double[] sum, double[] sq, int[] shortlist, int V, long impressions, double sigma, ref RandomStream rng)
    {
        int K = shortlist.Length, F = count.Length;
        long total = count.Sum();
        var nr = new double[(long)F * K]; var y = new double[(long)F * K];
        for (int f = 0; f < F; f++)
            for (int j = 0; j < K; j++)
            {
                double z = rng.Normal();
                if (count[f] == 0) continue;
                long at = (long)f * V + shortlist[j];
                double mu = sum[at] / count[f], within = Math.Max(0, sq[at] / count[f] - mu * mu);
                double nfj = (double)impressions * count[f] / total / K;
                nr[f * K + j] = nfj;
                y[f * K + j] = nfj * mu + Math.Sqrt(nfj * (sigma * sigma + within)) * z;
            }
        return (nr, y);
    }

    /// <summary>
    /// Compares targeting messages on <paramref name="attributes"/> with the best single message: in each of
    /// <paramref name="replicates"/> replicates, a shortlist of <paramref name="candidates"/> variants drawn at random from the
    /// space is pretested on <paramref name="impressions"/> respondents (see the class remarks), and the same respondents are
    /// analysed pooled (the single message), by each attribute, by each pair and triple (up to <paramref name="maxCombined"/>
    /// attributes at once), and the oracle sends each cell of all the attributes its truly best candidate. Each rule is scored by
    /// the mean true persuasion over the electorate of what it sends. Deterministic in <paramref name="seed"/> whatever
    /// <paramref name="threads"/> (null: all cores).
    /// </summary>
    public static TargetingComparison Compare(MessageSpace space, IReadOnlyList<string> attributes, long impressions, int replicates, int? seed,
        int candidates = 24, int maxCombined = 3, int? threads = null) =>
        Compare(space, attributes, impressions, replicates, Seeds.Resolve(seed), candidates, maxCombined, threads);

    internal static TargetingComparison Compare(MessageSpace space, IReadOnlyList<string> attributes, long impressions, int replicates, ulong seed,
        int candidates, int maxCombined, int? threads)
    {
        ArgumentNullException.ThrowIfNull(space); ArgumentNullException.ThrowIfNull(attributes);
        var errors = Validate(attributes, "attributes").ToList();
        if (attributes.Count == 0) errors.Add(new("attributes", "give at least one attribute to target on."));
        if (impressions < 1 || impressions > 1_000_000_000) errors.Add(new("impressions", $"must be between 1 and 1,000,000,000; got {impressions}."));
        if (replicates < 1 || replicates > 100_000) errors.Add(new("replicates", $"must be between 1 and 100,000; got {replicates}."));
        int M = space.Messages.Count;
        if (candidates < 2 || candidates > M) errors.Add(new("candidates", $"must be between 2 and the space's {M} variants; got {candidates}."));
        if (maxCombined < 1 || maxCombined > 7) errors.Add(new("maxCombined", $"must be between 1 and 7; got {maxCombined}."));
        Parameters.ThrowIfAny(errors);
        int T = DeterministicParallel.ResolveThreads(threads);
        var (cellOf, F) = CellsOf(space.Electorate, attributes);
        var all = Enumerable.Range(0, M).ToArray();
        var (count, sum, sq) = Truth(space, cellOf, F, all, T);
        long N = count.Sum();
        // Rules: single, then every subset of 1..maxCombined attributes (by size, then in the order given), then the oracle.
        var idx = attributes.Select(IndexOf).ToArray();
        var subsets = new List<int[]> { Array.Empty<int>() };
        for (int size = 1; size <= Math.Min(maxCombined, idx.Length); size++) subsets.AddRange(Combinations(idx.Length, size));
        // Map each finest cell to its cell under each subset.
        int[] radix = idx.Select(a => Counts[a]).ToArray();
        var maps = subsets.Select(sub => CellMap(radix, sub, F)).ToList();
        var tested = subsets.Select(_ => new double[replicates]).ToArray();
        var oracle = subsets.Select(_ => new double[replicates]).ToArray();
        var fullOracle = new double[replicates];
        double sigma = space.Spec.PretestOutcomeSd;
        DeterministicParallel.ForChunks(replicates, T, (s, end) =>
        {
            for (int r = (int)s; r < end; r++)
            {
                var rng = new RandomStream(seed, StreamIds.MessagePretest, (ulong)r);
                var shortlist = Shortlist(M, candidates, ref rng);
                var (nr, y) = Pretest(count, sum, sq, shortlist, M, impressions, sigma, ref rng);
                int[]? singlePick = null;
                for (int q = 0; q < subsets.Count; q++)
                {
                    var (map, cells) = maps[q];
                    var (t, o, picks) = Evaluate(map, cells, count, sum, nr, y, shortlist, M, N, singlePick, sigma);
                    singlePick ??= picks;
                    tested[q][r] = t; oracle[q][r] = o;
                }
                var (_, full, _) = Evaluate(Enumerable.Range(0, F).ToArray(), F, count, sum, nr, y, shortlist, M, N, singlePick, sigma);
                fullOracle[r] = full;
            }
        }, chunk: 1);
        var rules = new List<TargetingRule>();
        for (int q = 0; q < subsets.Count; q++)
        {
            var names = subsets[q].Select(k => attributes[k]).ToArray();
            var premium = tested[q].Select((v, r) => 100 * (v / tested[0][r] - 1)).ToArray();
            rules.Add(new TargetingRule(names.Length == 0 ? "single message" : string.Join('+', names), names, maps[q].Cells, tested[q].Frozen(), oracle[q].Frozen(), premium.Frozen()));
        }
        rules.Add(new TargetingRule($"oracle ({string.Join('+', attributes)})", attributes.ToArray(), F, fullOracle.Frozen(), fullOracle.Frozen(),
            fullOracle.Select((v, r) => 100 * (v / tested[0][r] - 1)).ToArray().Frozen()));
        return new TargetingComparison(attributes.ToArray(), impressions, candidates, replicates, space.Spec.AttributeHeterogeneity, rules);
    }

    /// <summary>
    /// A campaign's pretest (<see cref="MessagePick.PersuasionTest"/>): a shortlist of <paramref name="candidates"/> variants
    /// pretested on <paramref name="impressions"/> respondents, each cell of <paramref name="targetOn"/> (none: the whole
    /// electorate is one cell) sent its winner. Each voter's factor is the true mean persuasion of the voter's cell's variant in
    /// that cell relative to the average variant of the space in that cell, so a campaign with no better message than average
    /// has factor 1 everywhere.
    /// </summary>
    public static MessagePlan Plan(MessageSpace space, IReadOnlyList<string> targetOn, long impressions, int candidates, int? seed) =>
        Plan(space, targetOn, impressions, candidates, Seeds.Resolve(seed));

    internal static MessagePlan Plan(MessageSpace space, IReadOnlyList<string> targetOn, long impressions, int candidates, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(space); ArgumentNullException.ThrowIfNull(targetOn);
        int M = space.Messages.Count;
        ArgumentOutOfRangeException.ThrowIfLessThan(impressions, 1);
        if (candidates < 2 || candidates > M) throw new ArgumentOutOfRangeException(nameof(candidates), candidates, $"must be between 2 and the space's {M} variants.");
        var e = space.Electorate;
        var (cellOf, F) = CellsOf(e, targetOn);
        var rng = new RandomStream(seed, StreamIds.MessagePretest, 0);
        var shortlist = Shortlist(M, candidates, ref rng);
        var (count, sum, sq) = Truth(space, cellOf, F, shortlist, 1);
        var identity = Enumerable.Range(0, candidates).ToArray();
        var (nr, y) = Pretest(count, sum, sq, identity, candidates, impressions, space.Spec.PretestOutcomeSd, ref rng);
        var (pooledMap, _) = CellMap([F], [], F);
        var (_, _, single) = Evaluate(pooledMap, 1, count, sum, nr, y, identity, candidates, count.Sum(), null, space.Spec.PretestOutcomeSd);
        var (_, _, picks) = Evaluate(Enumerable.Range(0, F).ToArray(), F, count, sum, nr, y, identity, candidates, count.Sum(), single, space.Spec.PretestOutcomeSd);
        var avg = new double[F];
        for (int i = 0; i < e.VoterCount; i++) avg[cellOf[i]] += space.AverageVariantPersuasion(i);
        var factor = new double[e.VoterCount];
        var cellFactor = new double[F];
        for (int f = 0; f < F; f++)
            cellFactor[f] = count[f] == 0 ? 1 : Math.Abs(avg[f]) > 1e-12 ? sum[(long)f * candidates + picks[f]] / avg[f] : 1;
        double mean = 0;
        for (int i = 0; i < factor.Length; i++) { factor[i] = cellFactor[cellOf[i]]; mean += factor[i]; }
        mean /= Math.Max(1, factor.Length);
        return new MessagePlan(F, picks.Select(j => shortlist[j]).ToArray().Frozen(), factor.Frozen(), mean);
    }

    /// <summary>Shortlist: <paramref name="k"/> distinct variants of <paramref name="m"/>, by a partial Fisher–Yates shuffle.</summary>
    private static int[] Shortlist(int m, int k, ref RandomStream rng)
    {
        var order = Enumerable.Range(0, m).ToArray();
        for (int j = 0; j < k; j++) { int x = j + rng.NextInt(m - j); (order[j], order[x]) = (order[x], order[j]); }
        return order[..k];
    }

    private static IEnumerable<int[]> Combinations(int n, int k)
    {
        var c = Enumerable.Range(0, k).ToArray();
        while (true)
        {
            yield return c.ToArray();
            int i = k - 1;
            while (i >= 0 && c[i] == n - k + i) i--;
            if (i < 0) yield break;
            c[i]++;
            for (int j = i + 1; j < k; j++) c[j] = c[j - 1] + 1;
        }
    }

    /// <summary>Maps each finest cell (mixed radix over <paramref name="radix"/>) to its cell on the attributes at positions <paramref name="subset"/>.</summary>
    private static (int[] Map, int Cells) CellMap(int[] radix, int[] subset, int finest)
    {
        var map = new int[finest];
        int cells = subset.Aggregate(1, (p, k) => p * radix[k]);
        var digits = new int[radix.Length];
        for (int f = 0; f < finest; f++)
        {
            int rest = f;
            for (int k = radix.Length - 1; k >= 0; k--) { digits[k] = rest % radix[k]; rest /= radix[k]; }
            int c = 0;
            foreach (int k in subset) c = c * radix[k] + digits[k];
            map[f] = c;
        }
        return (map, cells);
    }

    /// <summary>
    /// The tested and oracle mean true persuasion over the electorate when each cell of <paramref name="map"/> gets its pretest
    /// winner or its truly best candidate, and the winners (candidate positions). The winner is the candidate with the highest
    /// empirical-Bayes estimate: its pooled mean plus its cell deviation shrunk by τ²/(τ² + s²), where s² is the deviation's
    /// sampling variance and τ² the variance of true deviations estimated by the method of moments over every cell and
    /// candidate (0 when the deviations are no larger than noise, so every cell then gets the pooled winner). Cells with less
    /// than one respondent per candidate get <paramref name="fallback"/>'s single pick.
    /// </summary>
    private static (double Tested, double Oracle, int[] Picks) Evaluate(int[] map, int cells, long[] count, double[] sum, double[] nr, double[] y,
        int[] shortlist, int V, long total, int[]? fallback, double sigma)
    {
        int K = shortlist.Length, F = count.Length;
        var cn = new long[cells]; var cy = new double[cells * K]; var cr = new double[cells * K]; var ct = new double[cells * K];
        var py = new double[K]; var pr = new double[K];
        for (int f = 0; f < F; f++)
        {
            int c = map[f];
            cn[c] += count[f];
            for (int j = 0; j < K; j++)
            {
                cy[c * K + j] += y[f * K + j]; cr[c * K + j] += nr[f * K + j]; ct[c * K + j] += sum[(long)f * V + shortlist[j]];
                py[j] += y[f * K + j]; pr[j] += nr[f * K + j];
            }
        }
        // Method-of-moments variance of the true cell deviations, weighting cells by their respondents.
        double num = 0, den = 0;
        for (int c = 0; c < cells; c++)
            for (int j = 0; j < K; j++)
            {
                double n = cr[c * K + j];
                if (n < 1 || pr[j] <= 0) continue;
                double d = cy[c * K + j] / n - py[j] / pr[j], s2 = sigma * sigma * (1 / n - 1 / pr[j]);
                num += n * (d * d - s2); den += n;
            }
        double tau2 = den > 0 ? Math.Max(0, num / den) : 0;
        double tested = 0, oracle = 0;
        var picks = new int[cells];
        for (int c = 0; c < cells; c++)
        {
            int pick = 0, best = 0; double top = double.NegativeInfinity, truth = double.NegativeInfinity;
            bool measured = true;
            for (int j = 0; j < K; j++)
            {
                double n = cr[c * K + j];
                if (n < 1) measured = false;
                double pooled = pr[j] > 0 ? py[j] / pr[j] : double.NegativeInfinity;
                double s2 = n > 0 ? sigma * sigma * Math.Max(0, 1 / n - 1 / pr[j]) : double.PositiveInfinity;
                double shrink = tau2 + s2 > 0 ? tau2 / (tau2 + s2) : 1;
                double m = n > 0 ? pooled + shrink * (cy[c * K + j] / n - pooled) : pooled;
                if (m > top) { top = m; pick = j; }
                if (ct[c * K + j] > truth) { truth = ct[c * K + j]; best = j; }
            }
            if (!measured && fallback is not null) pick = fallback[0];
            picks[c] = pick;
            if (cn[c] == 0) continue;
            tested += ct[c * K + pick]; oracle += ct[c * K + best];
        }
        return (tested / total, oracle / total, picks);
    }
}
