using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Analysis;
using Parquet;
using Workbench.Campaigns;
using Workbench.Data;
using Workbench.Random;
using Workbench.Tables;
using Workbench.Behaviour;
using Workbench.Elections;

namespace Workbench.Experiments;

/// <summary>
/// One tidy result row: one party's result under one system in one arm of one replicate. Spend and contacts are everything
/// spent and made for the party: its own campaign's and those of outside advertisers working for it (per-advertiser spend is
/// in <see cref="SpendRow"/>).
/// </summary>
public sealed record ResultRow(string Scenario, string Arm, int Replicate, long Seed, string System, string Party,
    long Votes, double Share, int Seats, double Turnout, double Spend, long Contacts);

/// <summary>Spend of one advertiser (a party's campaign or an outside advertiser working for it) in one replicate, with where it went.</summary>
/// <param name="Arm">Arm.</param><param name="Replicate">Replicate.</param><param name="Party">The party the advertiser works for.</param><param name="Spend">Total spend.</param>
/// <param name="MarginalQuarterShare">Share of spend in the closest quarter of constituencies (by expected winning margin).</param>
/// <param name="ByChannel">Spend per channel.</param><param name="VotersContacted">Distinct voters contacted.</param>
/// <param name="ByConstituency">Spend per constituency.</param><param name="Margins">Expected winning margin of each constituency (winner's minus runner-up's share of the sincere vote).</param>
/// <param name="Precision">Targeting precision: the share of contacted voters on target (see <see cref="CampaignOutcome.Precision"/>).</param>
/// <param name="SupportAuc">How well the campaign's knowledge ranks its supporters: AUC of its estimated support against the true sincere vote (see <see cref="CampaignOutcome.SupportAuc"/>).</param>
/// <param name="TurnoutCorrelation">Correlation of its estimated turnout with the true turnout propensity.</param>
/// <param name="MessageFactor">With a message choice, the chosen message's true persuasion relative to the average variant (<see cref="CampaignOutcome.MessageFactor"/>).</param>
/// <param name="Contacts">Contacts made.</param><param name="ContactsOutsideBubble">Contacts with voters who do not identify with the sponsor.</param>
/// <param name="PersonalityMatch">With psychographic targeting, the share of voters whose dominant trait was inferred right (NaN when not used).</param>
/// <param name="Volunteers">With volunteers: where they lived and canvassed and the door attempts made in each constituency (<see cref="CampaignOutcome.Volunteers"/>); null without.</param>
public sealed record SpendRow(string Arm, int Replicate, string Party, double Spend, double MarginalQuarterShare, IReadOnlyDictionary<string, double> ByChannel, long VotersContacted,
    IReadOnlyList<double> ByConstituency, IReadOnlyList<double> Margins, double Precision, double SupportAuc = double.NaN, double TurnoutCorrelation = double.NaN, double MessageFactor = double.NaN,
    long Contacts = 0, long ContactsOutsideBubble = 0, double PersonalityMatch = double.NaN, VolunteerPlan? Volunteers = null)
{
    /// <summary>Who paid (<see cref="CampaignSpec.Sponsor"/>; default the party's own campaign).</summary>
    public Sponsor Sponsor { get; init; } = Sponsor.Party;
    /// <summary>With volunteers: the share of the canvass channel's door attempts made in the closest quarter of constituencies (by expected winning margin, as <see cref="MarginalQuarterShare"/>); NaN without volunteers or attempts.</summary>
    public double CanvassQuarterShare { get; init; } = double.NaN;
    /// <summary>With an uplift model: the correlation of its predicted uplift with the voters' true response to persuasion (<see cref="CampaignOutcome.UpliftCorrelation"/>); NaN without one.</summary>
    public double UpliftCorrelation { get; init; } = double.NaN;
    /// <summary>With an uplift model: what its message test cost (<see cref="CampaignOutcome.UpliftTestCost"/>), deducted from the budget before planning and not part of <see cref="Spend"/>.</summary>
    public double UpliftTestCost { get; init; }
    /// <summary>With a message choice: what its test cost, deducted from the budget before planning and not part of <see cref="Spend"/> (<see cref="CampaignOutcome.MessageTestCost"/>); NaN without one.</summary>
    public double MessageTestCost { get; init; } = double.NaN;
}

/// <summary>One system's count in one arm of one replicate: disproportionality, fragmentation and how unequally political information was received.</summary>
/// <param name="Arm">Arm.</param><param name="Replicate">Replicate.</param><param name="System">Electoral system.</param>
/// <param name="Gallagher">Gallagher least-squares disproportionality.</param><param name="EnpSeats">Effective number of parties by seats.</param>
/// <param name="InformationGini">Gini coefficient of campaign contacts per voter (0 for the baseline).</param>
public sealed record SystemRow(string Arm, int Replicate, string System, double Gallagher, double EnpSeats, double InformationGini);

/// <summary>The best-response rounds one arm's campaigns played in one replicate (arms with <see cref="Arm.Rounds"/> above 1).</summary>
/// <param name="Arm">Arm.</param><param name="Replicate">Replicate.</param><param name="Report">The rounds, the round they stopped at and whether they converged.</param>
public sealed record BestResponseRun(string Arm, int Replicate, BestResponseReport Report);

/// <summary>
/// One round of an arm's best-response game for one party, averaged over every replicate (<see cref="SimulationResult.BestResponseRounds"/>).
/// A replicate whose plans stopped changing before this round counts with its last round's values (its plans no longer
/// change), so every round averages the same replicates.
/// </summary>
/// <param name="Arm">The arm.</param>
/// <param name="Round">The round (1 = each campaign plans alone).</param>
/// <param name="Party">The party.</param>
/// <param name="Replicates">Replicates averaged (all of the arm's).</param>
/// <param name="StillPlaying">Replicates that actually played this round (the others had converged and carry their last plans).</param>
/// <param name="ExpectedObjective">Mean expected objective (seats) of the party's plan of this round, under its knowledge shifted by the others' plans.</param>
/// <param name="FirstPlanExpected">Mean expected objective of its round-1 plan under the same knowledge.</param>
/// <param name="AllocationChange">Mean share of the budget moved from the previous round (0 for replicates that had stopped; NaN in round 1).</param>
public sealed record BestResponseRoundMean(string Arm, int Round, string Party, int Replicates, int StillPlaying, double ExpectedObjective, double FirstPlanExpected, double AllocationChange);

/// <summary>
/// What the campaign's opinion dynamics (<see cref="Workbench.Networks.NetworkSpec.Opinion"/>) did in one replicate: the moved
/// issue's metrics before and on election day (on the dynamics' [0, 1] scale) and each party's national vote share in the
/// baseline counted with and without the moved positions, on the same election-day draws.
/// </summary>
/// <param name="Replicate">Replicate.</param><param name="Steps">Steps run (weeks × steps per week).</param>
/// <param name="Before">Metrics of the positions before the campaign.</param><param name="After">Metrics on election day.</param>
/// <param name="SharesWith">Each party's national share of valid votes in the baseline with the moved positions (party order of the electorate).</param>
/// <param name="SharesWithout">The same without them.</param>
public sealed record OpinionDriftRow(int Replicate, int Steps, Workbench.Networks.OpinionMetrics Before, Workbench.Networks.OpinionMetrics After,
    IReadOnlyList<double> SharesWith, IReadOnlyList<double> SharesWithout);

/// <summary>One party's national share change caused by the campaign's opinion dynamics, over replicates (<see cref="SimulationResult.OpinionShareChanges"/>).</summary>
/// <param name="Party">Party.</param>
/// <param name="ShareChangePoints">Baseline share with the moved positions minus without, in percentage points (paired by replicate).</param>
/// <param name="ShareWithoutPoints">Baseline share without the dynamics, in percent.</param>
public sealed record OpinionShareChange(string Party, Estimate ShareChangePoints, Estimate ShareWithoutPoints);

/// <summary>Progress of a simulation: replicates done out of the total.</summary>
public readonly record struct SimulationProgress(int Done, int Total);

/// <summary>Mean and 95% confidence interval (Student t over replicates).</summary>
public readonly record struct Estimate(double Mean, double Low, double High);

/// <summary>The effect of one arm on one party under one system, across replicates (arm minus baseline on the same draws).</summary>
public sealed record Effect(string Arm, string System, string Party, Estimate ShareChangePoints, Estimate SeatChange, Estimate VoteChange,
    double Spend, double? CostPerVote, double? CostPerSeat, double? SeatsPerPoint);

/// <summary>
/// Arm minus another arm for one party under one system, paired by replicate (both arms count the same election-day
/// draws, so the difference is the strategies' alone): mean and 95% interval over replicates.
/// </summary>
/// <param name="Arm">The arm.</param><param name="Against">The arm it is compared with.</param>
/// <param name="System">Electoral system.</param><param name="Party">Party.</param>
/// <param name="SeatDifference">Seats of <paramref name="Arm"/> minus seats of <paramref name="Against"/>.</param>
/// <param name="ShareDifferencePoints">Vote share difference, in percentage points.</param>
/// <param name="Replicates">Replicates paired.</param>
public sealed record Contrast(string Arm, string Against, string System, string Party, Estimate SeatDifference, Estimate ShareDifferencePoints, int Replicates);

/// <summary>
/// Runs a <see cref="Scenario"/> (MODEL.md §5–7): for every replicate, generate (or reuse) the
/// electorate, count the baseline election, run each arm's campaigns, and count the same
/// ballots under every system. Replicates run in parallel; every random draw comes from a
/// stream derived from (scenario seed, replicate, purpose), so results are identical whatever
/// the thread count.
/// </summary>
public static class Simulation
{
    /// <summary>Runs the scenario.</summary>
    public static SimulationResult Run(Scenario scenario, int? threads = null, IProgress<SimulationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        int T = DeterministicParallel.ResolveThreads(threads);
        int R = scenario.Replicates;
        var rows = new List<ResultRow>[R]; var spend = new List<SpendRow>[R]; var systems = new List<SystemRow>[R]; var violations = new List<Workbench.Regulation.Violation>[R];
        var bestResponse = new List<BestResponseRun>[R];
        var drift = new List<OpinionDriftRow>[R];
        var seeds = new long[R];
        Workbench.Electorate.Electorate? shared = null;
        if (!scenario.VaryElectorate) shared = Workbench.Electorate.Electorates.Generate(scenario.Electorate, scenario.Voters, RunSeeds.SharedElectorate(scenario.Seed), T);
        int outer = Math.Min(T, R), inner = Math.Max(1, T / outer);
        int done = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = outer, CancellationToken = cancellationToken };
        Parallel.For(0, R, options, r =>
        {
            ulong rs = RunSeeds.Replicate(scenario.Seed, r);
            seeds[r] = RunSeeds.Column(rs);
            bestResponse[r] = []; drift[r] = [];
            (rows[r], spend[r], systems[r], violations[r]) = Replicate(scenario, r, rs, shared, inner, cancellationToken, bestResponse[r], drift[r]);
            progress?.Report(new SimulationProgress(Interlocked.Increment(ref done), R));
        });
        return new SimulationResult(scenario, rows.SelectMany(x => x).ToArray(), spend.SelectMany(x => x).ToArray(), seeds)
        {
            SystemRows = systems.SelectMany(x => x).ToArray(), Violations = violations.SelectMany(x => x).ToArray(),
            BestResponse = bestResponse.SelectMany(x => x).ToArray(), OpinionDrift = drift.SelectMany(x => x).ToArray(),
        };
    }

    internal static (List<ResultRow>, List<SpendRow>, List<SystemRow>, List<Workbench.Regulation.Violation>) Replicate(Scenario sc, int r, ulong rs,
        Workbench.Electorate.Electorate? shared, int threads, CancellationToken ct, List<BestResponseRun>? bestResponse = null, List<OpinionDriftRow>? opinion = null)
    {
        var run = new ReplicateRun(sc, r, rs, shared, threads, ct);
        var rows = new List<ResultRow>(); var spendRows = new List<SpendRow>(); var systemRows = new List<SystemRow>(); var violations = new List<Workbench.Regulation.Violation>();
        var e = run.Electorate;
        int P = e.PartyCount;
        var parties = e.PartyNames;
        void Count(string arm, Ballots ballots, IReadOnlyDictionary<string, CampaignOutcome> outcomes, double informationGini)
        {
            var national = ballots.National;
            long valid = national.Sum();
            foreach (var system in sc.Systems)
            {
                var result = system.Count(ballots, e);
                systemRows.Add(new SystemRow(arm, r, system.Name, result.Gallagher, result.EnpSeats, informationGini));
                for (int j = 0; j < P; j++)
                {
                    // Everything spent for the party: its campaign and any outside advertisers working for it.
                    double spent = 0; long contacts = 0;
                    foreach (var o in outcomes.Values) if (o.Party == parties[j]) { spent += o.Spend; contacts += o.Contacts; }
                    rows.Add(new ResultRow(sc.Name, arm, r, run.SeedColumn, system.Name, parties[j], national[j], valid > 0 ? (double)national[j] / valid : 0,
                        result.Seats[j], ballots.Turnout, spent, contacts));
                }
            }
        }
        var baselineBallots = run.Vote(null);
        Count("baseline", baselineBallots, new Dictionary<string, CampaignOutcome>(), 0);
        if (run.Drift is { } d && opinion is not null)
        {
            static double[] Shares(Ballots b) { var v = b.National; long valid = v.Sum(); return v.Select(x => valid > 0 ? (double)x / valid : 0).ToArray(); }
            opinion.Add(new OpinionDriftRow(r, d.Steps, d.MetricsBefore, d.MetricsAfter, Shares(baselineBallots), Shares(run.Vote(null, null, opinion: false))));
        }
        for (int a = 0; a < sc.Arms.Count; a++)
        {
            ct.ThrowIfCancellationRequested();
            var arm = run.Arm(a);
            foreach (var o in arm.Outcomes.Values)
            {
                double inClosest = run.ClosestQuarter.Sum(k => o.SpendByConstituency[k]);
                double canvassQuarter = double.NaN;
                if (o.Volunteers is { } vp && vp.Attempts.Sum() is var doors && doors > 0) canvassQuarter = run.ClosestQuarter.Sum(k => vp.Attempts[k]) / doors;
                spendRows.Add(new SpendRow(sc.Arms[a].Name, r, o.Party, o.Spend, o.Spend > 0 ? inClosest / o.Spend : 0, o.SpendByChannel, o.VotersContacted,
                    o.SpendByConstituency, run.MarginsArray, o.Precision, o.SupportAuc, o.TurnoutCorrelation, o.MessageFactor, o.Contacts, o.ContactsOutsideBubble, o.PersonalityMatch, o.Volunteers)
                { CanvassQuarterShare = canvassQuarter, Sponsor = o.Sponsor, UpliftCorrelation = o.UpliftCorrelation, UpliftTestCost = o.UpliftTestCost, MessageTestCost = o.MessageTestCost });
            }
            violations.AddRange(arm.Violations);
            if (arm.BestResponse is { } report) bestResponse?.Add(new BestResponseRun(sc.Arms[a].Name, r, report));
            Count(sc.Arms[a].Name, run.Vote(arm), arm.Outcomes, Workbench.Networks.NetworkMetrics.Gini(arm.ContactsPerVoter.Select(c => (double)c).ToArray()));
        }
        return (rows, spendRows, systemRows, violations);
    }

    /// <summary>One replicate in detail (its electorate, the shifts and ballots of an arm, who voted): the basis of suppression analyses.</summary>
    public static ReplicateRun Detail(Scenario scenario, int replicate = 0, int? threads = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (replicate < 0 || replicate >= scenario.Replicates) throw new ArgumentOutOfRangeException(nameof(replicate), replicate, $"replicate must be in 0..{scenario.Replicates - 1}.");
        int T = DeterministicParallel.ResolveThreads(threads);
        var shared = scenario.VaryElectorate ? null : Workbench.Electorate.Electorates.Generate(scenario.Electorate, scenario.Voters, RunSeeds.SharedElectorate(scenario.Seed), T);
        return new ReplicateRun(scenario, replicate, RunSeeds.Replicate(scenario.Seed, replicate), shared, T, default);
    }

    /// <summary>The .NET SDK that built the library and the runtime running it.</summary>
    public static (string Sdk, string Runtime) BuildEnvironment() =>
        (typeof(Simulation).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "SdkVersion")?.Value ?? "unknown",
         System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);

    /// <summary>The library version and the git commit it was built from (when the build recorded one).</summary>
    public static (string Version, string Commit) LibraryVersion()
    {
        var info = typeof(Simulation).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        int plus = info.IndexOf('+');
        return plus >= 0 ? (info[..plus], info[(plus + 1)..]) : (info, "unknown");
    }
}

/// <summary>The results of a simulation: tidy rows, spend, and summaries.</summary>
public sealed class SimulationResult(Scenario scenario, IReadOnlyList<ResultRow> rows, IReadOnlyList<SpendRow> spend, IReadOnlyList<long> seeds)
{
    /// <summary>The scenario that was run.</summary>
    public Scenario Scenario { get; } = scenario;
    /// <summary>Tidy rows (scenario, arm, replicate, seed, system, party, votes, share, seats, turnout, spend, contacts), in replicate, arm, system, party order.</summary>
    public IReadOnlyList<ResultRow> Rows { get; } = rows;
    /// <summary>Spend per campaign and replicate.</summary>
    public IReadOnlyList<SpendRow> Spend { get; } = spend;
    /// <summary>The seed of each replicate.</summary>
    public IReadOnlyList<long> ReplicateSeeds { get; } = seeds;
    /// <summary>Per arm, replicate and system: Gallagher index, effective number of parties by seats, Gini of information received.</summary>
    public IReadOnlyList<SystemRow> SystemRows { get; init; } = [];
    /// <summary>Violations of the scenario's regulation, and whether oversight detected them.</summary>
    public IReadOnlyList<Workbench.Regulation.Violation> Violations { get; init; } = [];
    /// <summary>The best-response rounds of every arm with <see cref="Arm.Rounds"/> above 1, per replicate (empty when no arm has them).</summary>
    public IReadOnlyList<BestResponseRun> BestResponse { get; init; } = [];
    /// <summary>What the campaign's opinion dynamics did, per replicate (empty without <see cref="Workbench.Networks.NetworkSpec.Opinion"/>).</summary>
    public IReadOnlyList<OpinionDriftRow> OpinionDrift { get; init; } = [];

    private static readonly string[] Header = ["scenario", "arm", "replicate", "seed", "system", "party", "votes", "share", "seats", "turnout", "spend", "contacts"];

    /// <summary>
    /// The codebook of results.csv and results.parquet: one entry per column of <see cref="ToTable"/>, in order. results.parquet
    /// carries it as JSON under <see cref="Workbench.Electorate.ElectorateExport.CodebookKey"/> and each entry as its column's
    /// field metadata in the file's Arrow schema (<see cref="Workbench.Electorate.ColumnInfo.ArrowMetadata"/>).
    /// </summary>
    public static IReadOnlyList<Workbench.Electorate.ColumnInfo> Codebook { get; } =
    [
        new("scenario", "string", "name", "—", "Name of the scenario that was run."),
        new("arm", "string", "name", "—", "Arm of the experiment: \"baseline\" (no campaign) or the name of one of the scenario's arms."),
        new("replicate", "int32", "index", "0..replicates−1", "Replicate index."),
        new("seed", "int64", "seed", "0..2^63−1", "The replicate's seed (the low 63 bits of the seed derived from the scenario's seed and the replicate index)."),
        new("system", "string", "name", "—", "Name of the electoral system the ballots were counted under."),
        new("party", "string", "name", "—", "Party name."),
        new("votes", "int64", "votes", "≥ 0", "The party's national votes."),
        new("share", "float64", "fraction", "0..1", "The party's share of the valid national votes (0 when no vote was cast)."),
        new("seats", "int32", "seats", "≥ 0", "Seats the system allocates to the party."),
        new("turnout", "float64", "fraction", "0..1", "Turnout of the arm's election: voters who voted over registered voters (the same in every row of an arm and replicate)."),
        new("spend", "float64", "currency units", "≥ 0", "Everything spent for the party: its own campaign's and any outside advertisers' working for it (docs/campaigns.md reads currency units as US dollars)."),
        new("contacts", "int64", "contacts", "≥ 0", "Contacts made for the party by its campaign and the outside advertisers working for it."),
    ];

    /// <summary>Effects of every arm on every party under every system: arm minus baseline per replicate, then mean and 95% interval.</summary>
    public IReadOnlyList<Effect> Effects()
    {
        var baseline = Rows.Where(x => x.Arm == "baseline").ToDictionary(x => (x.Replicate, x.System, x.Party));
        var list = new List<Effect>();
        foreach (var g in Rows.Where(x => x.Arm != "baseline").GroupBy(x => (x.Arm, x.System, x.Party)))
        {
            var d = g.Select(x => (row: x, b: baseline[(x.Replicate, x.System, x.Party)])).ToArray();
            var share = Stats.Interval(d.Select(x => 100 * (x.row.Share - x.b.Share)));
            var seats = Stats.Interval(d.Select(x => (double)(x.row.Seats - x.b.Seats)));
            var votes = Stats.Interval(d.Select(x => (double)(x.row.Votes - x.b.Votes)));
            double spend = d.Average(x => x.row.Spend);
            list.Add(new Effect(g.Key.Arm, g.Key.System, g.Key.Party, share, seats, votes, spend,
                spend > 0 && votes.Mean > 0 ? spend / votes.Mean : null,
                spend > 0 && seats.Mean > 0 ? spend / seats.Mean : null,
                share.Mean != 0 ? seats.Mean / share.Mean : null));
        }
        return list;
    }

    /// <summary>
    /// <paramref name="arm"/> against <paramref name="against"/> for <paramref name="party"/> under every system, paired by
    /// replicate: is one strategy better than the other beyond the replicate noise? An unknown arm or party is an ArgumentException naming the known ones.
    /// </summary>
    public IReadOnlyList<Contrast> Contrasts(string arm, string against, string party)
    {
        var arms = Rows.Select(x => x.Arm).Distinct().ToArray();
        foreach (var a in new[] { arm, against })
            if (!arms.Contains(a)) throw new ArgumentException($"No arm named '{a}' (arms: {string.Join(", ", arms)}).");
        if (!Rows.Any(x => x.Party == party)) throw new ArgumentException($"No party named '{party}' (parties: {string.Join(", ", Rows.Select(x => x.Party).Distinct())}).", nameof(party));
        var other = Rows.Where(x => x.Arm == against && x.Party == party).ToDictionary(x => (x.Replicate, x.System));
        return Rows.Where(x => x.Arm == arm && x.Party == party).GroupBy(x => x.System).Select(g =>
        {
            var d = g.Select(x => (row: x, b: other[(x.Replicate, x.System)])).ToArray();
            return new Contrast(arm, against, g.Key, party, Stats.Interval(d.Select(x => (double)(x.row.Seats - x.b.Seats))),
                Stats.Interval(d.Select(x => 100 * (x.row.Share - x.b.Share))), d.Length);
        }).ToArray();
    }

    /// <summary>
    /// How a contrast changes between two runs of scenarios that share their replicates (the same seed and replicate seeds, e.g.
    /// a scenario and the same scenario with <see cref="Scenario.Forecast"/> error): per system, (arm − against) in this run
    /// minus (arm − against) in <paramref name="other"/>, paired by replicate, with 95% intervals. The returned contrasts' Against
    /// reads "AGAINST, change from OTHER". Throws when the runs do not share their replicate seeds.
    /// </summary>
    public IReadOnlyList<Contrast> ContrastChange(SimulationResult other, string arm, string against, string party)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!ReplicateSeeds.SequenceEqual(other.ReplicateSeeds))
            throw new ArgumentException($"The runs do not share their replicates (seeds {string.Join(", ", ReplicateSeeds.Take(3))}… against {string.Join(", ", other.ReplicateSeeds.Take(3))}…): contrasts can only be paired across scenarios with the same seed and replicates.", nameof(other));
        var mine = Contrasts(arm, against, party);
        Dictionary<(int, string), (double Seats, double Share)> Per(SimulationResult r)
        {
            var b = r.Rows.Where(x => x.Arm == against && x.Party == party).ToDictionary(x => (x.Replicate, x.System));
            return r.Rows.Where(x => x.Arm == arm && x.Party == party)
                .ToDictionary(x => (x.Replicate, x.System), x => ((double)(x.Seats - b[(x.Replicate, x.System)].Seats), 100 * (x.Share - b[(x.Replicate, x.System)].Share)));
        }
        var a = Per(this);
        var o = Per(other);
        return mine.Select(c =>
        {
            var keys = a.Keys.Where(k => k.Item2 == c.System && o.ContainsKey(k)).OrderBy(k => k.Item1).ToArray();
            return new Contrast(arm, $"{against}, change from {other.Scenario.Name}", c.System, party,
                Stats.Interval(keys.Select(k => a[k].Seats - o[k].Seats)), Stats.Interval(keys.Select(k => a[k].Share - o[k].Share)), keys.Length);
        }).ToArray();
    }

    /// <summary>The JSON summary printed by <c>workbench simulate</c>.</summary>
    public JsonObject Summary()
    {
        var effects = new JsonArray();
        foreach (var ef in Effects().Where(x => x.Spend > 0 || Scenario.Arms.Any(a => a.Name == x.Arm && a.Campaigns.Any(c => c.Party == x.Party))))
            effects.Add(new JsonObject
            {
                ["arm"] = ef.Arm, ["system"] = ef.System, ["party"] = ef.Party,
                ["shareChangePoints"] = Json(ef.ShareChangePoints), ["seatChange"] = Json(ef.SeatChange), ["voteChange"] = Json(ef.VoteChange),
                ["spend"] = Round(ef.Spend), ["costPerExtraVote"] = ef.CostPerVote is double cv ? Round(cv) : null,
                ["costPerExtraSeat"] = ef.CostPerSeat is double cs ? Round(cs) : null, ["seatsPerPoint"] = ef.SeatsPerPoint is double sp ? Round(sp) : null,
            });
        var spend = new JsonArray();
        foreach (var g in Spend.GroupBy(s => (s.Arm, s.Party, s.Sponsor)))
        {
            var entry = new JsonObject { ["arm"] = g.Key.Arm, ["party"] = g.Key.Party };
            // Outside advertisers say who they are; a party's own campaign has no sponsor field (summaries without outside advertisers are unchanged).
            if (g.Key.Sponsor != Sponsor.Party) entry["sponsor"] = Advertisers.Label(g.Key.Sponsor);
            foreach (var (key, value) in new JsonObject
            {
                ["spend"] = Round(g.Average(s => s.Spend)),
                ["shareOfSpendInClosestQuarterOfSeats"] = Round(g.Average(s => s.MarginalQuarterShare)),
                ["votersContacted"] = Round(g.Average(s => (double)s.VotersContacted)),
                ["precision"] = Round(g.Average(s => s.Precision)),
                ["shareOfContactsOutsideBubble"] = g.Sum(s => s.Contacts) > 0 ? Round((double)g.Sum(s => s.ContactsOutsideBubble) / g.Sum(s => s.Contacts)) : null,
                ["supportAuc"] = g.All(s => double.IsFinite(s.SupportAuc)) ? Round(g.Average(s => s.SupportAuc)) : null,
                ["turnoutCorrelation"] = g.All(s => double.IsFinite(s.TurnoutCorrelation)) ? Round(g.Average(s => s.TurnoutCorrelation)) : null,
                ["byChannel"] = new JsonObject(g.First().ByChannel.Keys.Select(k => KeyValuePair.Create(k, (JsonNode?)Round(g.Average(s => s.ByChannel[k]))))),
            }.ToArray()) entry[key] = value?.DeepClone();
            // Only campaigns with a message choice have a message factor.
            if (g.All(s => double.IsFinite(s.MessageFactor))) entry["messagePersuasionFactor"] = Round(g.Average(s => s.MessageFactor));
            if (g.All(s => double.IsFinite(s.MessageTestCost))) entry["messageTestCost"] = Round(g.Average(s => s.MessageTestCost));
            if (g.All(s => double.IsFinite(s.PersonalityMatch))) entry["personalityMatch"] = Round(g.Average(s => s.PersonalityMatch));
            if (g.All(s => double.IsFinite(s.UpliftCorrelation))) entry["upliftCorrelation"] = Round(g.Average(s => s.UpliftCorrelation));
            if (g.Any(s => s.UpliftTestCost > 0)) entry["upliftTestCost"] = Round(g.Average(s => s.UpliftTestCost));
            // Only campaigns with volunteers report where they canvassed.
            if (g.All(s => s.Volunteers is not null))
            {
                entry["shareOfCanvassAttemptsInClosestQuarterOfSeats"] = g.All(s => double.IsFinite(s.CanvassQuarterShare)) ? Round(g.Average(s => s.CanvassQuarterShare)) : null;
                entry["volunteerDoorAttempts"] = Round(g.Average(s => s.Volunteers!.Attempts.Sum()));
                entry["volunteerCapacity"] = Round(g.Average(s => s.Volunteers!.TotalCapacity));
                entry["volunteersTravelling"] = Round(g.Average(s => (double)s.Volunteers!.Travelling));
                entry["volunteerTravelHours"] = Round(g.Average(s => s.Volunteers!.TravelHours));
            }
            spend.Add(entry);
        }
        var baseline = new JsonArray();
        foreach (var g in Rows.Where(x => x.Arm == "baseline").GroupBy(x => (x.System, x.Party)))
            baseline.Add(new JsonObject { ["system"] = g.Key.System, ["party"] = g.Key.Party, ["share"] = Round(g.Average(x => x.Share)), ["seats"] = Round(g.Average(x => (double)x.Seats)) });
        var summary = new JsonObject
        {
            ["scenario"] = Scenario.Name, ["replicates"] = Scenario.Replicates, ["seed"] = Scenario.Seed, ["voters"] = Scenario.Voters,
            ["regime"] = Scenario.Regime.Name, ["baseline"] = baseline, ["effects"] = effects, ["spend"] = spend,
        };
        // Only scenarios with best-response rounds have this section, so other summaries are unchanged.
        if (BestResponse.Count > 0) summary["bestResponse"] = BestResponseSummary();
        // Only scenarios with opinion dynamics have this one (the same reason).
        if (OpinionDrift.Count > 0) summary["opinion"] = OpinionSummary();
        // Only scenarios with outside advertisers have this one (the same reason).
        if (Scenario.Arms.Any(a => a.Campaigns.Any(c => c.Sponsor != Sponsor.Party))) summary["violations"] = ViolationSummary();
        return summary;
    }

    /// <summary>
    /// The best-response rounds of every arm that played them, per round and party, averaged over all the arm's replicates:
    /// a replicate that converged before a round carries its last round's plan into it (see <see cref="BestResponseRoundMean"/>),
    /// so a round's mean never compares different sets of replicates.
    /// </summary>
    public IReadOnlyList<BestResponseRoundMean> BestResponseRounds()
    {
        var list = new List<BestResponseRoundMean>();
        foreach (var g in BestResponse.GroupBy(b => b.Arm))
        {
            int last = g.Max(b => b.Report.History.Count == 0 ? 0 : b.Report.History.Max(h => h.Round));
            var parties = g.SelectMany(b => b.Report.History.Select(h => h.Party)).Distinct().ToArray();
            for (int round = 1; round <= last; round++)
                foreach (var party in parties)
                {
                    var rows = g.Select(b =>
                    {
                        var mine = b.Report.History.Where(h => h.Party == party).ToArray();
                        var at = mine.FirstOrDefault(h => h.Round == round);
                        return at is not null ? (Row: at, Played: true) : (Row: mine.Where(h => h.Round < round).MaxBy(h => h.Round)!, Played: false);
                    }).Where(x => x.Row is not null).ToArray();
                    if (rows.Length == 0) continue;
                    list.Add(new BestResponseRoundMean(g.Key, round, party, rows.Length, rows.Count(x => x.Played),
                        rows.Average(x => x.Row.ExpectedObjective), rows.Average(x => x.Row.FirstPlanExpected),
                        round == 1 ? double.NaN : rows.Average(x => x.Played ? x.Row.AllocationChange : 0)));
                }
        }
        return list;
    }

    /// <summary>
    /// Per arm with best-response rounds: rounds allowed, the mean round they stopped at, the share of replicates that converged;
    /// per round and party the mean expected objective, its round-1 plan's under the same knowledge and the mean allocation
    /// change over all replicates (<see cref="BestResponseRounds"/>: converged replicates carry their last plans); per party the final and round-1 plans against the others' final plans.
    /// </summary>
    private JsonArray BestResponseSummary()
    {
        static JsonNode? Mean(IEnumerable<double> v) { var a = v.Where(double.IsFinite).ToArray(); return a.Length > 0 ? Round(a.Average()) : null; }
        var arms = new JsonArray();
        foreach (var g in BestResponse.GroupBy(b => b.Arm))
        {
            var rounds = new JsonArray();
            foreach (var m in BestResponseRounds().Where(m => m.Arm == g.Key))
                rounds.Add(new JsonObject
                {
                    ["round"] = m.Round, ["party"] = m.Party, ["replicates"] = m.Replicates, ["stillPlaying"] = m.StillPlaying,
                    ["expectedObjective"] = Mean([m.ExpectedObjective]), ["firstPlanExpected"] = Mean([m.FirstPlanExpected]),
                    ["allocationChange"] = Mean([m.AllocationChange]),
                });
            var final = new JsonArray();
            foreach (var fg in g.SelectMany(b => b.Report.Final).GroupBy(f => f.Party))
                final.Add(new JsonObject
                {
                    ["party"] = fg.Key, ["finalPlanExpected"] = Mean(fg.Select(f => f.FinalPlanExpected)), ["firstPlanExpected"] = Mean(fg.Select(f => f.FirstPlanExpected)),
                });
            arms.Add(new JsonObject
            {
                ["arm"] = g.Key, ["rounds"] = g.First().Report.Rounds, ["stoppedAt"] = Round(g.Average(b => (double)b.Report.StoppedAt)),
                ["convergedShare"] = Round(g.Average(b => b.Report.Converged ? 1.0 : 0.0)), ["byRound"] = rounds, ["againstFinalPlans"] = final,
            });
        }
        return arms;
    }

    /// <summary>
    /// Per arm and advertiser: violations committed, detected and taken down per replicate, fines and the beneficiary's votes lost
    /// to publicity (share of its votes) per replicate, each a mean over all replicates; every advertiser of the arm is listed, with zeros when it complied.
    /// </summary>
    private JsonArray ViolationSummary()
    {
        var list = new JsonArray();
        int R = Scenario.Replicates;
        foreach (var arm in Scenario.Arms)
            foreach (var c in arm.Campaigns)
            {
                var v = Violations.Where(x => x.Arm == arm.Name && x.Party == c.Party && x.Sponsor == c.Sponsor).ToArray();
                var entry = new JsonObject { ["arm"] = arm.Name, ["party"] = c.Party };
                if (c.Sponsor != Sponsor.Party) entry["sponsor"] = Advertisers.Label(c.Sponsor);
                entry["kinds"] = new JsonArray(v.Select(x => x.Kind).Distinct().Order(StringComparer.Ordinal).Select(k => (JsonNode?)JsonValue.Create(k)).ToArray());
                entry["violationsPerReplicate"] = Round((double)v.Length / R);
                entry["detectedPerReplicate"] = Round((double)v.Count(x => x.Detected) / R);
                entry["takenDownPerReplicate"] = Round((double)v.Count(x => x.TakenDown) / R);
                entry["amountPerReplicate"] = Round(v.Sum(x => x.Amount) / R);
                entry["finesPerReplicate"] = Round(v.Sum(x => x.Sanction) / R);
                entry["publicityDetectionsPerReplicate"] = Round((double)v.Count(x => x.PublicityShare > 0) / R);
                list.Add(entry);
            }
        return list;
    }

    /// <summary>
    /// The opinion dynamics' effects over replicates (mean and 95% interval): the moved issue's variance, bimodality,
    /// clusters, major clusters and Esteban–Ray polarisation before the campaign and on election day, and each party's national
    /// share change caused by the dynamics (the baseline with the moved positions minus the baseline without, on the same draws).
    /// </summary>
    public IReadOnlyList<OpinionShareChange> OpinionShareChanges()
    {
        var parties = Rows.Select(x => x.Party).Distinct().ToArray();
        return parties.Select((party, j) => new OpinionShareChange(party,
            Stats.Interval(OpinionDrift.Select(d => 100 * (d.SharesWith[j] - d.SharesWithout[j]))),
            Stats.Interval(OpinionDrift.Select(d => 100 * d.SharesWithout[j])))).ToArray();
    }

    private JsonObject OpinionSummary()
    {
        var op = Scenario.Network.Opinion!;
        var metrics = new JsonObject();
        foreach (var (name, get) in new (string, Func<Workbench.Networks.OpinionMetrics, double>)[]
        {
            ("variance", m => m.Variance), ("bimodality", m => m.Bimodality), ("clusters", m => m.Clusters), ("majorClusters", m => m.MajorClusters), ("estebanRay", m => m.EstebanRay),
        })
            metrics[name] = new JsonObject
            {
                ["before"] = Json(Stats.Interval(OpinionDrift.Select(d => get(d.Before)))), ["after"] = Json(Stats.Interval(OpinionDrift.Select(d => get(d.After)))),
                ["change"] = Json(Stats.Interval(OpinionDrift.Select(d => get(d.After) - get(d.Before)))),
            };
        var shares = new JsonArray();
        foreach (var c in OpinionShareChanges())
            shares.Add(new JsonObject { ["party"] = c.Party, ["shareWithoutDynamics"] = Json(c.ShareWithoutPoints), ["shareChangePoints"] = Json(c.ShareChangePoints) });
        return new JsonObject
        {
            ["model"] = System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(op.Model.ToString()), ["issue"] = op.Issue, ["issueName"] = Scenario.Electorate.Issues[op.Issue],
            ["epsilon"] = Round(op.Epsilon), ["mu"] = Round(op.Mu), ["gamma"] = Round(op.Gamma), ["stepsPerWeek"] = op.StepsPerWeek, ["weeks"] = Scenario.Weeks,
            ["steps"] = OpinionDrift[0].Steps, ["metrics"] = metrics, ["shareChangeByParty"] = shares,
        };
    }

    private static JsonObject Json(Estimate e) => new() { ["mean"] = Round(e.Mean), ["low"] = Round(e.Low), ["high"] = Round(e.High) };
    private static JsonNode Round(double v) => JsonValue.Create(Math.Round(v, 6))!;

    /// <summary>The manifest: scenario hash, seeds, library version and git commit (no clock time, so it too is reproducible); the result files are listed by name.</summary>
    public JsonObject Manifest() => Manifest(null);

    /// <summary>
    /// The manifest, recording the SHA-256 of each written result file (<c>files</c>: name → hash), so that <c>workbench verify</c>
    /// notices a file changed after the run. Without hashes, <c>files</c> is the list of names (as manifests before hashes were recorded).
    /// </summary>
    public JsonObject Manifest(IReadOnlyDictionary<string, string>? fileSha256)
    {
        var (version, commit) = Simulation.LibraryVersion();
        return new JsonObject
        {
            ["scenario"] = Scenario.Name, ["scenarioSha256"] = Scenario.Hash, ["seed"] = Scenario.Seed, ["replicates"] = Scenario.Replicates,
            ["replicateSeeds"] = new JsonArray(ReplicateSeeds.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
            ["voters"] = Scenario.Voters, ["preset"] = Scenario.Preset, ["regime"] = Scenario.Regime.Name, ["varyElectorate"] = Scenario.VaryElectorate,
            ["systems"] = new JsonArray(Scenario.Systems.Select(s => (JsonNode?)JsonValue.Create(s.Name)).ToArray()),
            ["arms"] = new JsonArray(Scenario.Arms.Select(a => (JsonNode?)JsonValue.Create(a.Name)).ToArray()),
            ["library"] = version, ["commit"] = commit, ["sdk"] = Simulation.BuildEnvironment().Sdk,
            ["files"] = fileSha256 is null ? new JsonArray("results.csv", "results.parquet", "summary.json")
                : new JsonObject(fileSha256.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            // What `workbench verify` reruns: the scenario with every referenced file inlined, and the overrides applied to it.
            ["kind"] = "simulation", ["scenarioJson"] = JsonNode.Parse(Scenario.SelfContainedJson),
            ["overrides"] = new JsonObject { ["replicates"] = Scenario.Replicates, ["seed"] = Scenario.Seed, ["voters"] = Scenario.Voters },
        };
    }

    /// <summary>The rows as CSV (invariant culture, round-trip doubles), written by <see cref="ColumnTable.ToCsv"/>.</summary>
    public string ToCsv() => ToTable().ToCsv();

    /// <summary>The rows as a Microsoft.Data.Analysis DataFrame.</summary>
    public DataFrame ToDataFrame() => new(
        new StringDataFrameColumn("scenario", Rows.Select(x => x.Scenario)), new StringDataFrameColumn("arm", Rows.Select(x => x.Arm)),
        new Int32DataFrameColumn("replicate", Rows.Select(x => x.Replicate)), new Int64DataFrameColumn("seed", Rows.Select(x => x.Seed)),
        new StringDataFrameColumn("system", Rows.Select(x => x.System)), new StringDataFrameColumn("party", Rows.Select(x => x.Party)),
        new Int64DataFrameColumn("votes", Rows.Select(x => x.Votes)), new DoubleDataFrameColumn("share", Rows.Select(x => x.Share)),
        new Int32DataFrameColumn("seats", Rows.Select(x => x.Seats)), new DoubleDataFrameColumn("turnout", Rows.Select(x => x.Turnout)),
        new DoubleDataFrameColumn("spend", Rows.Select(x => x.Spend)), new Int64DataFrameColumn("contacts", Rows.Select(x => x.Contacts)));

    /// <summary>The rows as a <see cref="ColumnTable"/> (the columns of <see cref="Header"/>): what results.csv and results.parquet hold.</summary>
    public ColumnTable ToTable() => new(
    [
        new TableColumn("scenario", Rows.Select(x => x.Scenario).ToArray()), new TableColumn("arm", Rows.Select(x => x.Arm).ToArray()),
        new TableColumn("replicate", Rows.Select(x => x.Replicate).ToArray()), new TableColumn("seed", Rows.Select(x => x.Seed).ToArray()),
        new TableColumn("system", Rows.Select(x => x.System).ToArray()), new TableColumn("party", Rows.Select(x => x.Party).ToArray()),
        new TableColumn("votes", Rows.Select(x => x.Votes).ToArray()), new TableColumn("share", Rows.Select(x => x.Share).ToArray()),
        new TableColumn("seats", Rows.Select(x => x.Seats).ToArray()), new TableColumn("turnout", Rows.Select(x => x.Turnout).ToArray()),
        new TableColumn("spend", Rows.Select(x => x.Spend).ToArray()), new TableColumn("contacts", Rows.Select(x => x.Contacts).ToArray()),
    ]);

    /// <summary>Writes the rows as Parquet (through <see cref="ColumnTable"/>), with <see cref="Codebook"/> as file metadata (JSON) and as each column's field metadata.</summary>
    public Task WriteParquetAsync(Stream stream)
    {
        ToTable().WriteParquet(stream, [KeyValuePair.Create(Workbench.Electorate.ElectorateExport.CodebookKey, Workbench.Electorate.ElectorateExport.CodebookJson(Codebook))], 1,
            Workbench.Electorate.ColumnInfo.ArrowFieldMetadata(Codebook));
        return Task.CompletedTask;
    }

    /// <summary>The bytes of results.csv, results.parquet and summary.json, in that order (what <see cref="Write"/> writes and <c>workbench verify</c> compares).</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>> OutputFiles()
    {
        var utf8 = new UTF8Encoding(false);
        using var parquet = new MemoryStream();
        WriteParquetAsync(parquet).GetAwaiter().GetResult();
        var pretty = new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return
        [
            KeyValuePair.Create("results.csv", utf8.GetBytes(ToCsv())),
            KeyValuePair.Create("results.parquet", parquet.ToArray()),
            KeyValuePair.Create("summary.json", utf8.GetBytes(Summary().ToJsonString(pretty) + "\n")),
        ];
    }

    /// <summary>Writes results.csv, results.parquet, summary.json and manifest.json to <paramref name="directory"/>, each atomically (manifest last).</summary>
    public void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var files = OutputFiles();
        foreach (var (name, bytes) in files) AtomicFile.Write(Path.Combine(directory, name), s => s.Write(bytes));
        var pretty = new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var hashes = files.ToDictionary(f => f.Key, f => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(f.Value)));
        AtomicFile.WriteAllText(Path.Combine(directory, "manifest.json"), Manifest(hashes).ToJsonString(pretty) + "\n");
    }

    /// <summary>An HTML table of the effects (for notebooks).</summary>
    public string ToHtml()
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("<table><thead><tr><th>arm</th><th>system</th><th>party</th><th>Δ share (points, 95% CI)</th><th>Δ seats (95% CI)</th><th>spend</th><th>cost per extra vote</th></tr></thead><tbody>");
        foreach (var ef in Effects().Where(x => x.Spend > 0))
            sb.Append("<tr><td>").Append(System.Net.WebUtility.HtmlEncode(ef.Arm)).Append("</td><td>").Append(System.Net.WebUtility.HtmlEncode(ef.System)).Append("</td><td>")
              .Append(System.Net.WebUtility.HtmlEncode(ef.Party)).Append("</td><td>")
              .Append(ef.ShareChangePoints.Mean.ToString("F2", ci)).Append(" (").Append(ef.ShareChangePoints.Low.ToString("F2", ci)).Append(", ").Append(ef.ShareChangePoints.High.ToString("F2", ci)).Append(")</td><td>")
              .Append(ef.SeatChange.Mean.ToString("F1", ci)).Append(" (").Append(ef.SeatChange.Low.ToString("F1", ci)).Append(", ").Append(ef.SeatChange.High.ToString("F1", ci)).Append(")</td><td>")
              .Append(ef.Spend.ToString("N0", ci)).Append("</td><td>").Append(ef.CostPerVote is double cv ? cv.ToString("N1", ci) : "—").Append("</td></tr>");
        return sb.Append("</tbody></table>").ToString();
    }
}

/// <summary>Small statistics helpers for summaries.</summary>
public static class Stats
{
    /// <summary>Mean with a 95% Student-t interval (a single value gives a zero-width interval).</summary>
    public static Estimate Interval(IEnumerable<double> values)
    {
        var m = Workbench.Statistics.Intervals.Mean95(values);
        return new Estimate(m.Mean, m.Low, m.High);
    }

    /// <summary>The 97.5% quantile of Student's t with <paramref name="df"/> degrees of freedom (Hill's 1970 series approximation; exact table for df ≤ 10).</summary>
    public static double TQuantile975(int df) => Workbench.Statistics.Intervals.TQuantile975(df);
}
