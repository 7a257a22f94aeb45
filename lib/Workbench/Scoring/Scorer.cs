using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Workbench.Campaigns;
using Workbench.Data;
using Workbench.Random;
using Workbench.Statistics;
using Workbench.Behaviour;

namespace Workbench.Scoring;

/// <summary>Options of <see cref="Scorer.Score(Workbench.Electorate.Electorate, Workbench.Data.DataRegime, ScoringOptions?, int?, Workbench.Behaviour.ElectionDayModel?)"/>.</summary>
public sealed record ScoringOptions
{
    /// <summary>The party whose support is scored (default: the first party).</summary>
    public string? Party { get; init; }
    /// <summary>Voters the campaign's poll tries to reach for training labels (default: 10% of voters, between 4,000 and 50,000).</summary>
    public int? PollAttempts { get; init; }
    /// <summary>Voters in the randomised message test used for uplift models (default: 10% of voters, between 4,000 and 100,000).</summary>
    public int? UpliftTestSize { get; init; }
    /// <summary>Mean true effect of the tested message on the probability of supporting the party (a strong message: ads average about 0.007, Coppock et al. 2020).</summary>
    [Param("Mean true effect of the tested message on support", Min = 0, Max = 0.3, Unit = "probability")]
    public double UpliftEffect { get; init; } = 0.03;
    /// <summary>
    /// Treatment arms of the message test. 1: one message whose effect scales with persuadability. 2 or more: one message per
    /// issue (arm k on issue k mod the number of issues), whose effect also scales with each voter's salience of that issue — so
    /// arms move different voters, and a campaign can learn which message to send to whom.
    /// </summary>
    [Param("Treatment arms of the randomised message test", Min = 1, Max = 10)]
    public int UpliftArms { get; init; } = 1;
    /// <summary>Share of voters canvassed (canvass records exist only for them), before the bias toward voters at home.</summary>
    [Param("Share of voters the campaign has canvassed (before the bias toward voters at home)", Min = 0, Max = 1)]
    public double CanvassCoverage { get; init; } = 0.3;
    /// <summary>Whether sources are linked per voter ("linked", the primer's aggregated data) or kept in silos ("silos": consumer data cannot be joined to individual voters, so its attributes are not features).</summary>
    public string Linkage { get; init; } = "linked";
    /// <summary>Share of linked consumer-data records joined to the wrong voter (record linkage error).</summary>
    [Param("Share of consumer-data records linked to the wrong voter", Min = 0, Max = 1)]
    public double LinkageError { get; init; }
    /// <summary>How well the sources observe the truth: "perfect" (the default) or "typical" (<see cref="DataQuality.Typical"/>: incomplete, partly wrong consumer data and platform inferences, partly stale voter-file ages).</summary>
    public string DataQuality { get; init; } = "perfect";
    /// <summary>logistic (L-BFGS logistic regression) or fasttree (gradient-boosted trees); both single-threaded and seeded, so deterministic.</summary>
    public string Trainer { get; init; } = "logistic";
    /// <summary>Clusters of the k-means segmentation.</summary>
    [Param("Clusters of the k-means segmentation", Min = 2, Max = 50)]
    public int Clusters { get; init; } = 5;
    /// <summary>Train only the support and turnout models — no uplift test and no k-means clusters: what a campaign's targeting reads (<c>"knowledge": "scored"</c>).</summary>
    public bool ScoresOnly { get; init; }
    /// <summary>
    /// Compute the k-means clusters (default true). A campaign that targets by predicted uplift (<c>"knowledge": "uplift"</c>)
    /// needs the scores and the uplift model, not the clusters, and turns them off.
    /// </summary>
    public bool Clustering { get; init; } = true;
}

/// <summary>How well one score model does on the whole (simulated) electorate.</summary>
public sealed record ModelReport(string Model, int TrainingSize, double Auc, double Brier, double TopDecilePrecision, double BaseRate, IReadOnlyList<CalibrationBin> Calibration);

/// <summary>How well one uplift model does: on the held-out half of the message test, and against the true individual effect.</summary>
public sealed record UpliftReport(string Model, int TestSize, double Qini, double UpliftAuc, double TrueUpliftCorrelation);

/// <summary>
/// Choosing a message per voter from a multi-arm test (Tappin et al. 2023 ask whether such targeting beats the best single
/// message): how often the T-learner's best arm is the truly best, and the mean true uplift of sending each voter the predicted
/// best arm, against the best single arm for everyone and the oracle that knows every voter's best arm.
/// </summary>
public sealed record ArmChoice(int Arms, double BestArmAccuracy, double ChanceAccuracy, double TargetedUplift, double BestSingleArmUplift, double OracleUplift);

/// <summary>A classical campaign segment and its size.</summary>
public sealed record SegmentSize(string Segment, int Voters, double Share);

/// <summary>The classical campaign segments (MODEL.md §4).</summary>
public enum Segment : byte
{
    /// <summary>Likely supporters who are likely to vote.</summary>
    Base,
    /// <summary>Likely supporters unlikely to vote: mobilisation targets.</summary>
    MobilisationTargets,
    /// <summary>Undecided between the party and others.</summary>
    Persuadables,
    /// <summary>Unlikely supporters who are likely to vote.</summary>
    Opponents,
    /// <summary>Unlikely supporters unlikely to vote.</summary>
    Unlikely,
}

/// <summary>Scores, segments and evaluation of one scoring run.</summary>
public sealed class ScoringResult
{
    internal ScoringResult() { }
    /// <summary>The regime the models were trained under.</summary>
    public DataRegime Regime { get; internal init; } = null!;
    /// <summary>The scored party.</summary>
    public string Party { get; internal init; } = "";
    /// <summary>Features the models could use (with source, or "cell mean" under an aggregated regime).</summary>
    public IReadOnlyList<string> Features { get; internal init; } = [];
    /// <summary>Support model report.</summary>
    public ModelReport Support { get; internal init; } = null!;
    /// <summary>Turnout model report.</summary>
    public ModelReport Turnout { get; internal init; } = null!;
    /// <summary>Uplift models: T-learner and class transformation (with several arms: a T-learner per arm).</summary>
    public IReadOnlyList<UpliftReport> Uplift { get; internal init; } = [];
    /// <summary>With several treatment arms: how well the predicted best message per voter does (null with one arm).</summary>
    public ArmChoice? ArmChoice { get; internal init; }
    /// <summary>Support score per voter. A read-only view of the library's array (no copy).</summary>
    public ImmutableArray<float> SupportScore => SupportScoreArray.Frozen();
    /// <summary>The array behind <see cref="SupportScore"/>, for the library's own loops.</summary>
    internal float[] SupportScoreArray { get; init; } = [];
    /// <summary>Turnout score per voter. A read-only view of the library's array (no copy).</summary>
    public ImmutableArray<float> TurnoutScore => TurnoutScoreArray.Frozen();
    /// <summary>The array behind <see cref="TurnoutScore"/>, for the library's own loops.</summary>
    internal float[] TurnoutScoreArray { get; init; } = [];
    /// <summary>Uplift score per voter (T-learner). A read-only view of the library's array (no copy).</summary>
    public ImmutableArray<float> UpliftScore => UpliftScoreArray.Frozen();
    /// <summary>The array behind <see cref="UpliftScore"/>, for the library's own loops.</summary>
    internal float[] UpliftScoreArray { get; init; } = [];
    /// <summary>True individual uplift of the tested message (known only in simulation). A read-only view of the library's array (no copy).</summary>
    public ImmutableArray<float> TrueUplift => TrueUpliftArray.Frozen();
    /// <summary>The array behind <see cref="TrueUplift"/>, for the library's own loops.</summary>
    internal float[] TrueUpliftArray { get; init; } = [];
    /// <summary>
    /// The persuasion utility of the tested message for the average voter (the response model's utility of a channel with
    /// <see cref="ScoringOptions.UpliftEffect"/>): <see cref="UpliftScore"/> divided by it is the predicted change in support per
    /// unit of persuasion utility, which a campaign scales to each of its channels.
    /// </summary>
    public double TestedMessageUtility { get; internal init; }
    /// <summary>Voters who received the tested message in the randomised test (the treated half; 0 when no test was run).</summary>
    public int TestTreated { get; internal init; }
    /// <summary>k-means cluster per voter. A read-only view of the library's array (no copy).</summary>
    public ImmutableArray<int> Cluster => ClusterArray.Frozen();
    /// <summary>The array behind <see cref="Cluster"/>, for the library's own loops.</summary>
    internal int[] ClusterArray { get; init; } = [];
    /// <summary>Classical segment per voter. A read-only view of the library's array (no copy).</summary>
    public ImmutableArray<Segment> Segments => SegmentsArray.Frozen();
    /// <summary>The array behind <see cref="Segments"/>, for the library's own loops.</summary>
    internal Segment[] SegmentsArray { get; init; } = [];
    /// <summary>Sizes of the classical segments.</summary>
    public IReadOnlyList<SegmentSize> SegmentSizes { get; internal init; } = [];
    /// <summary>Sizes of the k-means clusters, with their mean support and turnout scores.</summary>
    public IReadOnlyList<(int Cluster, int Voters, double MeanSupport, double MeanTurnout)> Clusters { get; internal init; } = [];

    /// <summary>The JSON printed by <c>workbench score</c>.</summary>
    public JsonObject ToJson()
    {
        static JsonNode R(double v) => JsonValue.Create(double.IsNaN(v) ? (double?)null : Math.Round(v, 6))!;
        JsonObject Model(ModelReport m) => new()
        {
            ["model"] = m.Model, ["trainingSize"] = m.TrainingSize, ["auc"] = R(m.Auc), ["brier"] = R(m.Brier), ["topDecilePrecision"] = R(m.TopDecilePrecision), ["baseRate"] = R(m.BaseRate),
            ["calibration"] = new JsonArray(m.Calibration.Select(b => (JsonNode)new JsonObject { ["bin"] = R(b.Centre), ["predicted"] = R(b.MeanPredicted), ["observed"] = R(b.ObservedRate), ["count"] = b.Count }).ToArray()),
        };
        return new JsonObject
        {
            ["regime"] = Regime.Name, ["party"] = Party, ["features"] = new JsonArray(Features.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray()),
            ["support"] = Model(Support), ["turnout"] = Model(Turnout),
            ["uplift"] = new JsonArray(Uplift.Select(u => (JsonNode)new JsonObject { ["model"] = u.Model, ["testSize"] = u.TestSize, ["qini"] = R(u.Qini), ["upliftAuc"] = R(u.UpliftAuc), ["trueUpliftCorrelation"] = R(u.TrueUpliftCorrelation) }).ToArray()),
            ["armChoice"] = ArmChoice is null ? null : new JsonObject
            {
                ["arms"] = ArmChoice.Arms, ["bestArmAccuracy"] = R(ArmChoice.BestArmAccuracy), ["chanceAccuracy"] = R(ArmChoice.ChanceAccuracy),
                ["targetedUplift"] = R(ArmChoice.TargetedUplift), ["bestSingleArmUplift"] = R(ArmChoice.BestSingleArmUplift), ["oracleUplift"] = R(ArmChoice.OracleUplift),
            },
            ["segments"] = new JsonArray(SegmentSizes.Select(s => (JsonNode)new JsonObject { ["segment"] = s.Segment, ["voters"] = s.Voters, ["share"] = R(s.Share) }).ToArray()),
            ["clusters"] = new JsonArray(Clusters.Select(c => (JsonNode)new JsonObject { ["cluster"] = c.Cluster, ["voters"] = c.Voters, ["meanSupport"] = R(c.MeanSupport), ["meanTurnout"] = R(c.MeanTurnout) }).ToArray()),
        };
    }
}

/// <summary>One row of the headline table: what a regime costs in precision relative to the US-like regime.</summary>
public sealed record RegimeCost(string Regime, int Features, double SupportAuc, double TurnoutAuc, double TopDecilePrecision, double AucLost, double TopDecilePrecisionLost, double TrueUpliftCorrelation);

/// <summary>
/// Support, turnout and uplift scores trained with ML.NET only on what a <see cref="DataRegime"/> lets a
/// campaign observe (MODEL.md §3–4). Features are read through <see cref="VoterData"/> (individual values,
/// or cell means over at least k households under an aggregated regime); canvass records exist only for the
/// voters a campaign has canvassed (biased toward voters at home); published past results per constituency
/// are public. Labels come from a poll (random respondents who answer with their phone propensity). Uplift
/// models are trained on a randomised message test (T-learner; class transformation, Jaskowski &amp; Jaroszewicz
/// 2012) and judged against the true individual effect, which only a simulation knows.
/// </summary>
public static class Scorer
{
    private const uint StreamPoll = StreamIds.ScoringPoll, StreamCanvass = StreamIds.ScoringCanvass, StreamTest = StreamIds.ScoringTest,
        StreamTurnoutLabel = StreamIds.ScoringTurnoutLabel, StreamLinkage = StreamIds.ScoringLinkage;

    /// <summary>Scores an electorate under a regime; <paramref name="seed"/> null means <see cref="Seeds.Default"/>.</summary>
    public static ScoringResult Score(Electorate.Electorate e, DataRegime regime, ScoringOptions? options = null, int? seed = null, ElectionDayModel? model = null) =>
        Score(e, regime, options, Seeds.Resolve(seed), model);

    internal static ScoringResult Score(Electorate.Electorate e, DataRegime regime, ScoringOptions? options, ulong seed, ElectionDayModel? model = null)
    {
        ArgumentNullException.ThrowIfNull(e); ArgumentNullException.ThrowIfNull(regime);
        var o = options ?? new ScoringOptions();
        int p = CheckOptions(e, o);
        model ??= new ElectionDayModel(e, 1);
        int n = e.VoterCount;

        var (features, names) = Features(e, regime, p, o, seed);
        int F = names.Count;
        var ml = new MLContext(seed: unchecked((int)(seed & 0x7FFFFFFF)));

        var (truthP, supports, votes) = Truth(e, model, p, seed);
        var (respondents, pollTurn, polls) = Poll(e, regime, o, p, seed);
        var supportScore = Train(ml, o, features, F, respondents, respondents.Select(i => supports[i]).ToArray(), n);
        var turnoutScore = Train(ml, o, features, F, respondents, pollTurn, n);
        var support = Report("support", respondents.Count, supportScore, supports);
        var turnout = Report("turnout", respondents.Count, turnoutScore, votes);

        // The randomised message test and the true uplift.
        var responses = new ResponseModel(model);
        var message = new ChannelSpec { Name = "tested-message", Kind = ChannelKind.DirectMail, PersuasionEffect = o.UpliftEffect };
        var resp = responses.For(p, message);
        var trueUplift = TrueUplift(e, model, p, resp.Utility, truthP);
        var test = MessageTest(e, regime, o, p, seed, truthP, trueUplift);
        var uplifts = new List<UpliftReport>();
        float[] tLearner = new float[n];
        if (!o.ScoresOnly && o.UpliftArms == 1 && polls && test.Count > 0)
            tLearner = SingleArm(ml, o, features, F, n, test, trueUplift, uplifts);

        ArmChoice? armChoice = null;
        if (!o.ScoresOnly && o.UpliftArms >= 2 && polls)
            (tLearner, trueUplift, armChoice) = MultiArm(ml, o, features, F, e, model, responses, p, truthP, seed, uplifts, regime);

        var (segments, sizes) = Segments(n, supportScore, turnoutScore);
        bool clustering = !o.ScoresOnly && o.Clustering;
        var cluster = clustering ? KMeans(ml, o.Clusters, supportScore, turnoutScore, tLearner) : new int[n];
        var clusters = Enumerable.Range(0, clustering ? o.Clusters : 0).Select(c =>
        {
            var idx = Enumerable.Range(0, n).Where(i => cluster[i] == c).ToArray();
            return (c, idx.Length, idx.Length > 0 ? idx.Average(i => (double)supportScore[i]) : double.NaN, idx.Length > 0 ? idx.Average(i => (double)turnoutScore[i]) : double.NaN);
        }).ToArray();

        return new ScoringResult
        {
            Regime = regime, Party = e.PartyNames[p], Features = names, Support = support, Turnout = turnout, Uplift = uplifts,
            SupportScoreArray = supportScore, TurnoutScoreArray = turnoutScore, UpliftScoreArray = tLearner, TrueUpliftArray = trueUplift,
            TestedMessageUtility = resp.Utility, TestTreated = uplifts.Count > 0 && o.UpliftArms == 1 ? test.Count(x => x.Treated) : 0,
            ClusterArray = cluster, SegmentsArray = segments, SegmentSizes = sizes, Clusters = clusters, ArmChoice = armChoice,
        };
    }

    /// <summary>Validates the options against the electorate (every problem with its JSON path) and gives the scored party's index.</summary>
    private static int CheckOptions(Electorate.Electorate e, ScoringOptions o)
    {
        var errors = new List<ValidationError>();
        Parameters.CheckRanges(o, "$", errors);
        if (o.Trainer is not ("logistic" or "fasttree")) errors.Add(new("$.trainer", $"'{o.Trainer}' is not logistic or fasttree."));
        if (o.Linkage is not ("linked" or "silos")) errors.Add(new("$.linkage", $"'{o.Linkage}' is not linked or silos."));
        if (o.DataQuality is not ("perfect" or "typical")) errors.Add(new("$.dataQuality", $"'{o.DataQuality}' is not perfect or typical."));
        int p = o.Party is null ? 0 : e.PartyNames.ToList().IndexOf(o.Party);
        if (p < 0) errors.Add(new("$.party", $"'{o.Party}' is not a party of the electorate ({string.Join(", ", e.PartyNames)})."));
        Parameters.ThrowIfAny(errors);
        return p;
    }

    /// <summary>Truth (simulation only): each voter's probability of supporting the party, whether the voter supports
    /// it, and a turnout draw.</summary>
    private static (double[] TruthP, bool[] Supports, bool[] Votes) Truth(Electorate.Electorate e, ElectionDayModel model, int p, ulong seed)
    {
        int n = e.VoterCount;
        var truthP = new double[n];
        Span<double> prob = stackalloc double[e.PartyCount];
        for (int i = 0; i < n; i++) { model.Probabilities(i, prob); truthP[i] = prob[p]; }
        var supports = new bool[n]; var votes = new bool[n];
        for (int i = 0; i < n; i++)
        {
            supports[i] = e.SincereVote[i] == p;
            var r = new RandomStream(seed, StreamTurnoutLabel, (ulong)i);
            votes[i] = r.NextDouble() < (double)e.TurnoutPropensity[i];
        }
        return (truthP, supports, votes);
    }

    /// <summary>The poll: the respondents whose answers the regime lets the campaign keep (training labels), whether
    /// each says they will vote, and whether the regime allows polling at all.</summary>
    private static (List<int> Respondents, bool[] PollTurnout, bool Polls) Poll(Electorate.Electorate e, DataRegime regime, ScoringOptions o, int p, ulong seed)
    {
        int n = e.VoterCount;
        int attempts = Math.Min(n, o.PollAttempts ?? Math.Clamp(n / 10, 4000, 50000));
        var rng = new RandomStream(seed, StreamPoll, 0);
        var respondents = new List<int>();
        var seen = new HashSet<int>();
        for (int a = 0; a < attempts; a++)
        {
            int i = rng.NextInt(n);
            if (seen.Add(i) && rng.NextDouble() < e.AnswersPhone[i] / 255.0) respondents.Add(i);
        }
        bool polls = regime.AllowedSources.Contains(DataSource.Polls) || regime.AllowedSources.Contains(DataSource.Canvass);
        if (!polls) respondents.Clear();
        // Members and regular contacts only (strict GDPR reading): answers of anyone else may not be kept.
        respondents.RemoveAll(i => !MayKeep(regime, e, i, p));
        var pollTurn = respondents.Select(i => new RandomStream(seed, StreamIds.ScoringPollTurnout, (ulong)i).NextDouble() < (double)e.TurnoutPropensity[i]).ToArray();
        return (respondents, pollTurn, polls);
    }

    /// <summary>Each voter's true uplift from the tested message (its utility shifted onto the party, scaled by the
    /// voter's persuadability).</summary>
    private static float[] TrueUplift(Electorate.Electorate e, ElectionDayModel model, int p, double utility, double[] truthP)
    {
        int n = e.VoterCount, P = e.PartyCount;
        var trueUplift = new float[n];
        Span<double> prob = stackalloc double[P];
        Span<float> shift = stackalloc float[P];
        for (int i = 0; i < n; i++)
        {
            shift.Clear();
            shift[p] = (float)(utility * (double)e.Persuadability[i] / model.MeanPersuadability);
            model.Probabilities(i, prob, shift);
            trueUplift[i] = (float)(prob[p] - truthP[i]);
        }
        return trueUplift;
    }

    /// <summary>The randomised message test: random voters whose outcomes the regime lets the campaign record, each
    /// treated with probability one half, and their outcome.</summary>
    private static List<(int Voter, bool Treated, bool Outcome)> MessageTest(
        Electorate.Electorate e, DataRegime regime, ScoringOptions o, int p, ulong seed, double[] truthP, float[] trueUplift)
    {
        int n = e.VoterCount;
        int testSize = Math.Min(n, o.UpliftTestSize ?? Math.Clamp(n / 10, 4000, 100000));
        var trng = new RandomStream(seed, StreamTest, 0);
        var test = new List<(int Voter, bool Treated, bool Outcome)>();
        var inTest = new HashSet<int>();
        while (test.Count < testSize && inTest.Count < n)
        {
            int i = trng.NextInt(n);
            if (!inTest.Add(i)) continue;
            if (!MayKeep(regime, e, i, p)) continue; // outcomes of non-contacts may not be recorded
            bool t = trng.NextDouble() < 0.5;
            bool y = trng.NextDouble() < truthP[i] + (t ? trueUplift[i] : 0);
            test.Add((i, t, y));
        }
        return test;
    }

    /// <summary>One tested message: a T-learner (treated model minus control model) and the class transformation, both
    /// trained on the even half of the test and evaluated on the odd half; returns the T-learner's uplift score.</summary>
    private static float[] SingleArm(MLContext ml, ScoringOptions o, float[] features, int F, int n,
        List<(int Voter, bool Treated, bool Outcome)> test, float[] trueUplift, List<UpliftReport> uplifts)
    {
        var train = test.Where((_, k) => k % 2 == 0).ToArray();
        var hold = test.Where((_, k) => k % 2 == 1).ToArray();
        float[] tLearner = new float[n];
        var treatedScore = Train(ml, o, features, F, train.Where(x => x.Treated).Select(x => x.Voter).ToList(), train.Where(x => x.Treated).Select(x => x.Outcome).ToArray(), n);
        var controlScore = Train(ml, o, features, F, train.Where(x => !x.Treated).Select(x => x.Voter).ToList(), train.Where(x => !x.Treated).Select(x => x.Outcome).ToArray(), n);
        for (int i = 0; i < n; i++) tLearner[i] = treatedScore[i] - controlScore[i];
        var z = Train(ml, o, features, F, train.Select(x => x.Voter).ToList(), train.Select(x => x.Treated == x.Outcome).ToArray(), n);
        var classTransform = z.Select(v => 2 * v - 1).ToArray();
        uplifts.Add(UpliftEval("t-learner", test.Count, tLearner, hold, trueUplift));
        uplifts.Add(UpliftEval("class-transformation", test.Count, classTransform, hold, trueUplift));
        return tLearner;
    }

    /// <summary>Segments: classical rules on the support and turnout scores, and each segment's size.</summary>
    private static (Segment[] Segments, SegmentSize[] Sizes) Segments(int n, float[] supportScore, float[] turnoutScore)
    {
        var segments = new Segment[n];
        for (int i = 0; i < n; i++)
        {
            double s = supportScore[i], t = turnoutScore[i];
            segments[i] = s >= 0.6 ? (t >= 0.6 ? Segment.Base : Segment.MobilisationTargets) : s >= 0.3 ? Segment.Persuadables : (t >= 0.6 ? Segment.Opponents : Segment.Unlikely);
        }
        var sizes = Enum.GetValues<Segment>().Select(sg => { int c = segments.Count(x => x == sg); return new SegmentSize(Kebab(sg), c, (double)c / n); }).ToArray();
        return (segments, sizes);
    }

    private const uint StreamArmTest = StreamIds.ScoringArmTest;

    /// <summary>
    /// A randomised test with K message arms (one per issue) and a control: a T-learner per arm (arm model minus control
    /// model), each evaluated on the held-out half against the control; then each voter gets the arm with the largest predicted
    /// uplift. Returns the best-arm uplift score, that arm's true uplift, and the arm-choice summary.
    /// </summary>
    private static (float[] Score, float[] Truth, ArmChoice Choice) MultiArm(MLContext ml, ScoringOptions o, float[] features, int F, Electorate.Electorate e,
        ElectionDayModel model, ResponseModel responses, int p, double[] truthP, ulong seed, List<UpliftReport> uplifts, DataRegime regime)
    {
        int n = e.VoterCount, K = o.UpliftArms, I = e.IssueCount, P = e.PartyCount;
        var resp = responses.For(p, new ChannelSpec { Name = "tested-message", Kind = ChannelKind.DirectMail, PersuasionEffect = o.UpliftEffect });
        var truth = new float[K][];
        Span<double> prob = stackalloc double[P];
        Span<float> shift = stackalloc float[P];
        for (int k = 0; k < K; k++)
        {
            truth[k] = new float[n];
            int issue = k % I;
            for (int i = 0; i < n; i++)
            {
                shift.Clear();
                shift[p] = (float)(resp.Utility * (double)e.Persuadability[i] / model.MeanPersuadability * (double)e.IssueSalience[i * I + issue] * I);
                model.Probabilities(i, prob, shift);
                truth[k][i] = (float)(prob[p] - truthP[i]);
            }
        }
        int testSize = Math.Min(n, o.UpliftTestSize ?? Math.Clamp(n / 10, 4000, 100000));
        var rng = new RandomStream(seed, StreamArmTest, 0);
        var test = new List<(int Voter, int Arm, bool Outcome)>(); // arm −1: control
        var inTest = new HashSet<int>();
        while (test.Count < testSize && inTest.Count < n)
        {
            int i = rng.NextInt(n);
            if (!inTest.Add(i)) continue;
            if (!MayKeep(regime, e, i, p)) continue;
            int arm = rng.NextInt(K + 1) - 1;
            bool y = rng.NextDouble() < truthP[i] + (arm >= 0 ? truth[arm][i] : 0);
            test.Add((i, arm, y));
        }
        var train = test.Where((_, j) => j % 2 == 0).ToArray();
        var hold = test.Where((_, j) => j % 2 == 1).ToArray();
        float[] Fit(int arm) => Train(ml, o, features, F, train.Where(x => x.Arm == arm).Select(x => x.Voter).ToList(), train.Where(x => x.Arm == arm).Select(x => x.Outcome).ToArray(), n);
        var control = Fit(-1);
        var predicted = new float[K][];
        for (int k = 0; k < K; k++)
        {
            var armScore = Fit(k);
            predicted[k] = new float[n];
            for (int i = 0; i < n; i++) predicted[k][i] = armScore[i] - control[i];
            var h = hold.Where(x => x.Arm == k || x.Arm == -1).Select(x => (x.Voter, x.Arm == k, x.Outcome)).ToArray();
            uplifts.Add(UpliftEval($"t-learner, arm {k} (issue {k % I})", test.Count(x => x.Arm == k || x.Arm == -1), predicted[k], h, truth[k]));
        }
        var score = new float[n]; var chosenTruth = new float[n];
        int right = 0; double targeted = 0, oracle = 0;
        var armMeans = new double[K];
        for (int i = 0; i < n; i++)
        {
            int best = 0, trueBest = 0;
            for (int k = 1; k < K; k++) { if (predicted[k][i] > predicted[best][i]) best = k; if (truth[k][i] > truth[trueBest][i]) trueBest = k; }
            score[i] = predicted[best][i]; chosenTruth[i] = truth[best][i];
            if (best == trueBest) right++;
            targeted += truth[best][i]; oracle += truth[trueBest][i];
            for (int k = 0; k < K; k++) armMeans[k] += truth[k][i];
        }
        var choice = new ArmChoice(K, (double)right / n, 1.0 / K, targeted / n, armMeans.Max() / n, oracle / n);
        return (score, chosenTruth, choice);
    }

    /// <summary>The headline table: each regime preset's precision against the US-like regime's, on the same electorate and seed.</summary>
    /// <remarks><paramref name="seed"/> null means <see cref="Seeds.Default"/>.</remarks>
    public static IReadOnlyList<RegimeCost> CompareRegimes(Electorate.Electorate e, ScoringOptions? options = null, int? seed = null, IEnumerable<string>? regimes = null) =>
        CompareRegimes(e, options, Seeds.Resolve(seed), regimes);

    internal static IReadOnlyList<RegimeCost> CompareRegimes(Electorate.Electorate e, ScoringOptions? options, ulong seed, IEnumerable<string>? regimes = null)
    {
        var model = new ElectionDayModel(e, 1);
        var names = (regimes ?? DataRegime.PresetNames).ToList();
        if (!names.Contains("us-like")) names.Insert(0, "us-like");
        var results = names.ToDictionary(r => r, r => Score(e, DataRegime.Preset(r), options, seed, model));
        var us = results["us-like"];
        return names.Select(r =>
        {
            var x = results[r];
            return new RegimeCost(r, x.Features.Count, x.Support.Auc, x.Turnout.Auc, x.Support.TopDecilePrecision,
                us.Support.Auc - x.Support.Auc, us.Support.TopDecilePrecision - x.Support.TopDecilePrecision,
                x.Uplift.FirstOrDefault()?.TrueUpliftCorrelation ?? double.NaN);
        }).ToArray();
    }

    private static string Kebab(Segment s) => s switch
    {
        Segment.Base => "base", Segment.MobilisationTargets => "mobilisation-targets", Segment.Persuadables => "persuadables",
        Segment.Opponents => "opponents", _ => "unlikely",
    };

    private static ModelReport Report(string name, int trainingSize, float[] score, bool[] label)
    {
        var s = score.Select(v => (double)v).ToArray();
        return new ModelReport(name, trainingSize, Metrics.Auc(s, label), Metrics.Brier(s, label), Metrics.TopPrecision(s, label, 0.1),
            label.Count(x => x) / (double)label.Length, Metrics.Calibration(s, label, 10));
    }

    private static UpliftReport UpliftEval(string name, int testSize, float[] uplift, (int Voter, bool Treated, bool Outcome)[] hold, float[] truth)
    {
        var u = hold.Select(h => (double)uplift[h.Voter]).ToArray();
        var t = hold.Select(h => h.Treated).ToArray();
        var y = hold.Select(h => h.Outcome).ToArray();
        return new UpliftReport(name, testSize, Metrics.Qini(u, t, y), Metrics.UpliftAuc(u, t, y),
            Metrics.Correlation(uplift.Select(v => (double)v).ToArray(), truth.Select(v => (double)v).ToArray()));
    }

    /// <summary>Whether voter i is one of the party's members and regular contacts: modelled as the voters who identify with it.</summary>
    public static bool IsContact(Electorate.Electorate e, int i, int party) => e.PartyId[i] == party;

    /// <summary>Whether the regime lets the party keep personal data of voter i (always, unless it is restricted to contacts).</summary>
    private static bool MayKeep(DataRegime regime, Electorate.Electorate e, int i, int party) => !regime.ContactsOnly || IsContact(e, i, party);

    /// <summary>Observable features per voter (row-major n × F) and their names.</summary>
    internal static (float[] Features, IReadOnlyList<string> Names) Features(Electorate.Electorate e, DataRegime regime, int party, ScoringOptions o, ulong seed)
    {
        var data = VoterData.Open(e, regime, Data.DataQuality.Preset(o.DataQuality), Seeds.Derive(seed, StreamIds.ScoringDataView));
        int n = e.VoterCount, C = e.ConstituencyCount, P = e.PartyCount;
        var recordIndicators = new HashSet<DataSource>();
        var columns = new List<float[]>(); var names = new List<string>();
        foreach (var attr in VoterData.Catalogue.Keys.Where(a => a != "support"))
        {
            // Per-voter features only from sources that hold a record for every voter: the voter file and (linked)
            // consumer data. Polls give labels, not features; platforms target on their own data and never hand it over.
            if (data.UsableSource(attr, s => s == DataSource.VoterFile || (s == DataSource.ConsumerData && o.Linkage != "silos")) is not DataSource source) continue;
            var v = data.PerVoter(attr, source);
            // Missing records (incomplete sources): impute the mean of the known values and, at the individual level, add one
            // "has a record" indicator per source, as an analyst would.
            if (v.Any(float.IsNaN))
            {
                double known = 0; int count = 0;
                foreach (var value in v) if (!float.IsNaN(value)) { known += value; count++; }
                float fill = count > 0 ? (float)(known / count) : 0;
                for (int i = 0; i < n; i++) if (float.IsNaN(v[i])) v[i] = fill;
                if (!regime.Aggregated && recordIndicators.Add(source))
                {
                    var has = new float[n];
                    for (int i = 0; i < n; i++) has[i] = data.HasRecord(source, i) ? 1 : 0;
                    columns.Add(has); names.Add($"has a record ({source})");
                }
            }
            if (!regime.Aggregated && source == DataSource.ConsumerData && o.LinkageError > 0)
            {
                // Linkage error: a share of purchased records is joined to a random other voter.
                var orig = (float[])v.Clone();
                for (int i = 0; i < n; i++)
                {
                    var r = new RandomStream(seed, StreamLinkage, (ulong)i);
                    if (r.NextDouble() < o.LinkageError) v[i] = orig[r.NextInt(n)];
                }
            }
            columns.Add(v);
            names.Add(regime.Aggregated ? $"{attr} (cell mean, ≥{regime.MinimumUnitHouseholds} households)" : $"{attr} ({source})");
        }
        // Canvass records: only for canvassed voters (biased toward those at home), and only at the individual level.
        if (!regime.Aggregated && regime.AllowedSources.Contains(DataSource.Canvass) && !regime.BannedAttributes.Contains("support"))
        {
            var pid = data.Individual("support", DataSource.Canvass);
            var interest = regime.BannedAttributes.Contains("interest") ? null : data.Individual("interest", DataSource.Canvass);
            var has = new float[n]; var says = new float[n]; var keen = new float[n];
            for (int i = 0; i < n; i++)
            {
                var r = new RandomStream(seed, StreamCanvass, (ulong)i);
                if (r.NextDouble() < o.CanvassCoverage * 2 * e.HomeProbability[i * 3 + 2] / 255.0 && MayKeep(regime, e, i, party))
                { has[i] = 1; says[i] = pid[i] == party ? 1 : 0; keen[i] = interest?[i] ?? 0; }
            }
            columns.Add(has); names.Add("canvassed (canvass)");
            columns.Add(says); names.Add("canvass: identifies with the party (canvass)");
            if (interest is not null) { columns.Add(keen); names.Add("canvass: political interest (canvass)"); }
        }
        // Public: the constituency's published past result for the party and its past turnout.
        var pastShare = new double[C]; var pastVoters = new double[C]; var pastTurn = new double[C]; var pastVotes = new double[C];
        for (int i = 0; i < n; i++)
        {
            int k = e.Constituency[i];
            pastVoters[k]++; pastTurn[k] += e.PastTurnout[i];
            if (e.PastVote[i] >= 0) { pastVotes[k]++; if (e.PastVote[i] == party) pastShare[k]++; }
        }
        var ps = new float[n]; var pt = new float[n];
        for (int i = 0; i < n; i++) { int k = e.Constituency[i]; ps[i] = (float)(pastShare[k] / Math.Max(1, pastVotes[k])); pt[i] = (float)(pastTurn[k] / pastVoters[k]); }
        columns.Add(ps); names.Add("constituency past share (public)");
        columns.Add(pt); names.Add("constituency past turnout (public)");
        int F = columns.Count;
        var x = new float[(long)n * F];
        for (int i = 0; i < n; i++) for (int f = 0; f < F; f++) x[(long)i * F + f] = columns[f][i];
        return (x, names);
    }

    private sealed class Row
    {
        public bool Label { get; set; }
        public float[] Features { get; set; } = [];
    }

    private static IDataView View(MLContext ml, float[] x, int F, IEnumerable<int> voters, IReadOnlyList<bool>? labels)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, F);
        var rows = voters.Select((i, k) => new Row { Label = labels?[k] ?? false, Features = x.AsSpan((int)((long)i * F), F).ToArray() });
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    /// <summary>Trains a binary model on <paramref name="voters"/> with <paramref name="labels"/> and scores every voter; a constant prior when there is nothing to learn from.</summary>
    private static float[] Train(MLContext ml, ScoringOptions o, float[] x, int F, IReadOnlyList<int> voters, bool[] labels, int n)
    {
        var score = new float[n];
        int pos = labels.Count(l => l);
        if (voters.Count == 0 || pos == 0 || pos == labels.Length)
        {
            float prior = voters.Count == 0 ? 0.5f : (float)pos / labels.Length;
            Array.Fill(score, prior);
            return score;
        }
        var train = View(ml, x, F, voters, labels);
        IEstimator<ITransformer> trainer = o.Trainer == "fasttree"
            ? ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options { NumberOfThreads = 1, NumberOfTrees = 50, NumberOfLeaves = 16, MinimumExampleCountPerLeaf = 20 })
            : ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options { NumberOfThreads = 1 });
        var pipeline = ml.Transforms.NormalizeMeanVariance(nameof(Row.Features)).Append(trainer);
        var fitted = pipeline.Fit(train);
        var all = fitted.Transform(View(ml, x, F, Enumerable.Range(0, n), null));
        int k = 0;
        foreach (var v in all.GetColumn<float>("Probability")) score[k++] = v;
        return score;
    }

    private static int[] KMeans(MLContext ml, int k, float[] support, float[] turnout, float[] uplift)
    {
        int n = support.Length;
        var x = new float[(long)n * 3];
        for (int i = 0; i < n; i++) { x[i * 3] = support[i]; x[i * 3 + 1] = turnout[i]; x[i * 3 + 2] = uplift[i]; }
        var view = View(ml, x, 3, Enumerable.Range(0, n), null);
        var trainer = ml.Transforms.NormalizeMeanVariance(nameof(Row.Features))
            .Append(ml.Clustering.Trainers.KMeans(new Microsoft.ML.Trainers.KMeansTrainer.Options { NumberOfClusters = k, NumberOfThreads = 1, FeatureColumnName = nameof(Row.Features) }));
        var model = trainer.Fit(view);
        var cluster = new int[n];
        int c = 0;
        foreach (var v in model.Transform(view).GetColumn<uint>("PredictedLabel")) cluster[c++] = (int)v - 1;
        return cluster;
    }
}
