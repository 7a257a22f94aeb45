using System.Globalization;
using System.Net;
using System.Text;

namespace Workbench.Electorate;

/// <summary>Media platforms of the voter media diet (MODEL.md §1), in column order.</summary>
public enum Platform { Facebook, Instagram, YouTube, TikTok, X, TvNews, Print }

/// <summary>Employment status.</summary>
public enum Employment : byte { Employed, Unemployed, Retired, Student, Inactive }

/// <summary>Describes one column of a table the library writes (a voter column, a results column): the codebook entry (name, type, unit, range, meaning).</summary>
public sealed record ColumnInfo(string Name, string Type, string Unit, string Range, string Meaning, bool SpecialCategory = false)
{
    /// <summary>
    /// The entry as the key/value metadata of the column's Arrow field (what pyarrow and pandas show as the field's metadata):
    /// "description" (the meaning), "unit", "range", "type" and "special_category" ("true" or "false"), in that order.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> ArrowMetadata() =>
    [
        KeyValuePair.Create("description", Meaning), KeyValuePair.Create("unit", Unit), KeyValuePair.Create("range", Range),
        KeyValuePair.Create("type", Type), KeyValuePair.Create("special_category", SpecialCategory ? "true" : "false"),
    ];

    /// <summary>Each entry's <see cref="ArrowMetadata"/> by column name: the per-column metadata a Parquet file of these columns carries.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<KeyValuePair<string, string>>> ArrowFieldMetadata(IReadOnlyList<ColumnInfo> codebook)
    {
        ArgumentNullException.ThrowIfNull(codebook);
        return codebook.ToDictionary(c => c.Name, c => c.ArrowMetadata(), StringComparer.Ordinal);
    }
}

/// <summary>
/// A synthetic electorate: geography and every voter attribute of MODEL.md §1 in columnar
/// (struct-of-arrays) storage, plus the calibrated vote-choice and turnout parameters (§2).
/// Arrays are indexed by voter (0..<see cref="VoterCount"/>−1); voters of a household are
/// contiguous, households of a neighbourhood are contiguous, neighbourhoods of a constituency
/// are contiguous. Treat the arrays as read-only: later pipeline stages never mutate them.
/// Probabilities stored as bytes are p × 255; continuous traits are <see cref="Half"/> to keep
/// about 80 bytes per voter.
/// </summary>
public sealed class Electorate
{
    internal Electorate(ElectorateSpec spec, int voters, ulong seed) { Spec = spec; VoterCount = voters; Seed = seed; }

    /// <summary>The spec that made this electorate.</summary>
    public ElectorateSpec Spec { get; }
    /// <summary>The seed that made it.</summary>
    public ulong Seed { get; }
    /// <summary>Number of voters.</summary>
    public int VoterCount { get; }
    /// <summary>Number of households.</summary>
    public int HouseholdCount { get; internal set; }
    /// <summary>Number of neighbourhoods.</summary>
    public int NeighbourhoodCount { get; internal set; }
    /// <summary>Number of constituencies.</summary>
    public int ConstituencyCount => Spec.Constituencies;
    /// <summary>Number of parties.</summary>
    public int PartyCount => Spec.Parties.Count;
    /// <summary>Party names.</summary>
    public IReadOnlyList<string> PartyNames => Spec.Parties.Select(p => p.Name).ToArray();

    // ---- geography ----
    /// <summary>Household of each voter.</summary>
    public int[] Household { get; internal set; } = [];
    /// <summary>Neighbourhood of each voter.</summary>
    public int[] Neighbourhood { get; internal set; } = [];
    /// <summary>Constituency of each voter.</summary>
    public short[] Constituency { get; internal set; } = [];
    /// <summary>Region of each constituency.</summary>
    public byte[] ConstituencyRegion { get; internal set; } = [];
    /// <summary>Constituency of each neighbourhood.</summary>
    public short[] NeighbourhoodConstituency { get; internal set; } = [];
    /// <summary>Map x coordinate of each neighbourhood (0..1).</summary>
    public float[] NeighbourhoodX { get; internal set; } = [];
    /// <summary>Map y coordinate of each neighbourhood (0..1).</summary>
    public float[] NeighbourhoodY { get; internal set; } = [];
    /// <summary>First voter of each constituency (length C+1; voters of constituency k are [start[k], start[k+1])).</summary>
    public int[] ConstituencyStart { get; internal set; } = [];
    /// <summary>Latent urbanity of each constituency (standard units).</summary>
    public float[] ConstituencyUrbanity { get; internal set; } = [];
    /// <summary>Latent deprivation of each constituency (standard units).</summary>
    public float[] ConstituencyDeprivation { get; internal set; } = [];

    // ---- demographics ----
    /// <summary>Age in years (18–95).</summary>
    public byte[] Age { get; internal set; } = [];
    /// <summary>0 female, 1 male, 2 other/unstated.</summary>
    public byte[] Gender { get; internal set; } = [];
    /// <summary>Education: 0 low, 1 middle, 2 high.</summary>
    public byte[] Education { get; internal set; } = [];
    /// <summary>Income quintile 1–5.</summary>
    public byte[] IncomeQuintile { get; internal set; } = [];
    /// <summary>Employment status (<see cref="Workbench.Electorate.Employment"/>).</summary>
    public byte[] Employment { get; internal set; } = [];
    /// <summary>1 urban, 0 rural.</summary>
    public byte[] Urban { get; internal set; } = [];
    /// <summary>Minority/religion flag (GDPR Art. 9 special category).</summary>
    public byte[] Minority { get; internal set; } = [];
    /// <summary>Health-condition flag (GDPR Art. 9 special category).</summary>
    public byte[] Health { get; internal set; } = [];

    // ---- psychology and politics ----
    /// <summary>Big Five traits (openness, conscientiousness, extraversion, agreeableness, neuroticism), 5 per voter, standard units.</summary>
    public Half[] BigFive { get; internal set; } = [];
    /// <summary>Issue positions, K per voter (voter i, issue k at i·K + k).</summary>
    public Half[] IssuePosition { get; internal set; } = [];
    /// <summary>Issue salience weights, K per voter, summing to 1 (Dirichlet).</summary>
    public Half[] IssueSalience { get; internal set; } = [];
    /// <summary>Party identification (party index) or −1 for none.</summary>
    public sbyte[] PartyId { get; internal set; } = [];
    /// <summary>Strength of party identification (0..1; 0 without one).</summary>
    public Half[] PartyIdStrength { get; internal set; } = [];
    /// <summary>Party voted for at the last election, or −1 if the voter abstained.</summary>
    public sbyte[] PastVote { get; internal set; } = [];
    /// <summary>1 if the voter voted at the last election.</summary>
    public byte[] PastTurnout { get; internal set; } = [];
    /// <summary>Political interest (0..1).</summary>
    public Half[] Interest { get; internal set; } = [];
    /// <summary>Persuadability: latent responsiveness to persuasion (0..1).</summary>
    public Half[] Persuadability { get; internal set; } = [];

    // ---- reachability ----
    /// <summary>Media diet: usage probability × 255 per <see cref="Platform"/>, 7 per voter.</summary>
    public byte[] MediaUse { get; internal set; } = [];
    /// <summary>Favourite TV show (0..5), shows correlated with attitudes.</summary>
    public byte[] TvShow { get; internal set; } = [];
    /// <summary>Probability × 255 of being at home in the morning, afternoon and evening, 3 per voter.</summary>
    public byte[] HomeProbability { get; internal set; } = [];
    /// <summary>Probability × 255 of answering the phone.</summary>
    public byte[] AnswersPhone { get; internal set; } = [];
    /// <summary>Probability × 255 of opening email.</summary>
    public byte[] OpensEmail { get; internal set; } = [];
    /// <summary>Consumer-interest proxies (organic food, luxury goods, outdoor/hunting, sports betting) × 255, 4 per voter.</summary>
    public byte[] ConsumerInterest { get; internal set; } = [];
    /// <summary>Digital footprint size (relative, median 1).</summary>
    public Half[] DigitalFootprint { get; internal set; } = [];

    // ---- model outputs ----
    /// <summary>Turnout probability from the calibrated turnout model.</summary>
    public Half[] TurnoutPropensity { get; internal set; } = [];
    /// <summary>The sincere vote: a draw from the voter's multinomial logit over party utilities (in law the party of highest
    /// utility plus a standard Gumbel shock; drawn by inversion of the logit probabilities from stream (seed, StreamVote, i)).</summary>
    public sbyte[] SincereVote { get; internal set; } = [];

    /// <summary>The vote-choice model with its calibrated valences and constituency offsets.</summary>
    public VoteModel VoteModel { get; internal set; } = null!;
    /// <summary>The turnout model with its calibrated intercept.</summary>
    public TurnoutModel TurnoutModel { get; internal set; } = null!;
    /// <summary>Calibration diagnostics.</summary>
    public CalibrationReport Calibration { get; internal set; } = null!;
    /// <summary>Per-constituency IPF-calibrated demographic targets (age band, education, income marginals), for summaries.</summary>
    internal double[][][] ConstituencyMarginalTargets { get; set; } = [];

    /// <summary>Number of issues K.</summary>
    public int IssueCount => Spec.IssueCount;

    /// <summary>Voter i's position on issue k.</summary>
    public double Position(int voter, int issue) => (double)IssuePosition[voter * IssueCount + issue];

    /// <summary>The codebook: every exported column with type, unit, range and meaning.</summary>
    public IReadOnlyList<ColumnInfo> Codebook() => ElectorateExport.Columns(this).Select(c => c.Info).ToArray();

    /// <summary>The summary of this electorate (national and per-constituency shares, turnout, calibration).</summary>
    public ElectorateSummary Summarize() => ElectorateSummary.Of(this);

    /// <summary>Bytes held by the per-voter columns, divided by the number of voters.</summary>
    public double BytesPerVoter()
    {
        long bytes = 0;
        foreach (var p in typeof(Electorate).GetProperties())
        {
            if (p.GetValue(this) is Array a && a.Length >= VoterCount && a.Length > 0)
                bytes += (long)a.Length * System.Runtime.InteropServices.Marshal.SizeOf(a.GetType().GetElementType()!);
        }
        return (double)bytes / Math.Max(1, VoterCount);
    }

    /// <summary>A compact HTML summary table (rendered by the notebook engine).</summary>
    public string ToHtml() => Summarize().ToHtml();

    /// <inheritdoc />
    public override string ToString() =>
        $"Electorate '{Spec.Name}': {VoterCount:N0} voters, {HouseholdCount:N0} households, {NeighbourhoodCount:N0} neighbourhoods, {ConstituencyCount} constituencies";
}

/// <summary>How well calibration hit its targets.</summary>
public sealed record CalibrationReport(
    IReadOnlyList<double> TargetShares, IReadOnlyList<double> ExpectedShares, IReadOnlyList<double> SincereShares,
    double TargetTurnout, double ExpectedTurnout, double LargestShareError, double LargestMarginalError, int Iterations);

/// <summary>A summary of an electorate (MODEL.md §1): national and per-constituency vote shares of the sincere vote, turnout, margins, calibration.</summary>
public sealed record ElectorateSummary
{
    public string Name { get; init; } = "";
    public int Voters { get; init; }
    public int Households { get; init; }
    public int Neighbourhoods { get; init; }
    public int Constituencies { get; init; }
    /// <summary>Expected turnout (mean turnout propensity).</summary>
    public double Turnout { get; init; }
    /// <summary>National vote shares of the sincere vote, weighted by turnout propensity.</summary>
    public IReadOnlyDictionary<string, double> NationalShares { get; init; } = new Dictionary<string, double>();
    /// <summary>Target shares of the spec.</summary>
    public IReadOnlyDictionary<string, double> TargetShares { get; init; } = new Dictionary<string, double>();
    /// <summary>Per constituency and party: turnout-weighted sincere vote share.</summary>
    public IReadOnlyList<IReadOnlyList<double>> ConstituencyShares { get; init; } = [];
    /// <summary>Per constituency: winner's share minus runner-up's share.</summary>
    public IReadOnlyList<double> Margins { get; init; } = [];
    /// <summary>Per constituency: the plurality winner (party index).</summary>
    public IReadOnlyList<int> Winners { get; init; } = [];
    /// <summary>Share of constituencies won by less than 10 points.</summary>
    public double MarginalSeatShare { get; init; }
    /// <summary>Largest absolute error of a national share against its target (points ×0.01).</summary>
    public double LargestShareError { get; init; }
    /// <summary>Largest absolute error of a demographic marginal (age band, education, income) against its IPF target, over regions.</summary>
    public double LargestMarginalError { get; init; }
    /// <summary>The largest calibration error: max of share and marginal errors.</summary>
    public double LargestCalibrationError => Math.Max(LargestShareError, LargestMarginalError);
    /// <summary>Seats won under plurality on the sincere vote.</summary>
    public IReadOnlyDictionary<string, int> PluralitySeats { get; init; } = new Dictionary<string, int>();

    internal static ElectorateSummary Of(Electorate e)
    {
        int C = e.ConstituencyCount, P = e.PartyCount;
        var votes = new double[C][];
        var turnoutW = new double[C];
        // Per constituency in voter order (in parallel: the sums do not depend on the thread count).
        Workbench.Random.DeterministicParallel.ForChunks(C, Environment.ProcessorCount, (s, end) =>
        {
            for (long kk = s; kk < end; kk++)
            {
                int k = (int)kk;
                var vk = new double[P];
                double tw = 0;
                for (int i = e.ConstituencyStart[k]; i < e.ConstituencyStart[k + 1]; i++)
                {
                    double w = (double)e.TurnoutPropensity[i];
                    vk[e.SincereVote[i]] += w;
                    tw += w;
                }
                votes[k] = vk; turnoutW[k] = tw;
            }
        }, chunk: 8);
        double totalTurnout = 0;
        for (int k = 0; k < C; k++) totalTurnout += turnoutW[k];
        var shares = new double[C][];
        var margins = new double[C];
        var winners = new int[C];
        var national = new double[P];
        for (int k = 0; k < C; k++)
        {
            shares[k] = new double[P];
            for (int j = 0; j < P; j++) { shares[k][j] = turnoutW[k] > 0 ? votes[k][j] / turnoutW[k] : 0; national[j] += votes[k][j]; }
            var order = Enumerable.Range(0, P).OrderByDescending(j => shares[k][j]).ThenBy(j => j).ToArray();
            winners[k] = order[0];
            margins[k] = P > 1 ? shares[k][order[0]] - shares[k][order[1]] : 1;
        }
        var names = e.Spec.Parties.Select(p => p.Name).ToArray();
        var nat = new Dictionary<string, double>();
        var tgt = new Dictionary<string, double>();
        double err = 0;
        for (int j = 0; j < P; j++)
        {
            nat[names[j]] = national[j] / totalTurnout;
            tgt[names[j]] = e.Spec.Parties[j].TargetShare;
            err = Math.Max(err, Math.Abs(nat[names[j]] - tgt[names[j]]));
        }
        var seats = names.ToDictionary(n => n, _ => 0);
        foreach (var w in winners) seats[names[w]]++;
        return new ElectorateSummary
        {
            Name = e.Spec.Name, Voters = e.VoterCount, Households = e.HouseholdCount, Neighbourhoods = e.NeighbourhoodCount,
            Constituencies = C, Turnout = totalTurnout / e.VoterCount, NationalShares = nat, TargetShares = tgt,
            ConstituencyShares = shares, Margins = margins, Winners = winners,
            MarginalSeatShare = margins.Count(m => m < 0.10) / (double)C,
            LargestShareError = err, LargestMarginalError = e.Calibration.LargestMarginalError, PluralitySeats = seats,
        };
    }

    /// <summary>HTML table: parties with target, generated share and plurality seats; then the totals.</summary>
    public string ToHtml()
    {
        var sb = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        sb.Append("<div class=\"wb-electorate\"><p><b>").Append(WebUtility.HtmlEncode(Name)).Append("</b>: ")
          .Append(Voters.ToString("N0", ci)).Append(" voters, ").Append(Households.ToString("N0", ci)).Append(" households, ")
          .Append(Neighbourhoods.ToString("N0", ci)).Append(" neighbourhoods, ").Append(Constituencies.ToString(ci))
          .Append(" constituencies; expected turnout ").Append((Turnout * 100).ToString("F1", ci)).Append("%; ")
          .Append((MarginalSeatShare * 100).ToString("F0", ci)).Append("% of seats won by under 10 points.</p>");
        sb.Append("<table><thead><tr><th>party</th><th>target %</th><th>generated %</th><th>plurality seats</th></tr></thead><tbody>");
        foreach (var (name, share) in NationalShares)
            sb.Append("<tr><td>").Append(WebUtility.HtmlEncode(name)).Append("</td><td>").Append((TargetShares[name] * 100).ToString("F1", ci))
              .Append("</td><td>").Append((share * 100).ToString("F1", ci)).Append("</td><td>").Append(PluralitySeats[name].ToString(ci)).Append("</td></tr>");
        sb.Append("</tbody></table></div>");
        return sb.ToString();
    }
}
