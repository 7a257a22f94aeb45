using System.Collections.Immutable;
namespace Workbench.Networks;

/// <summary>
/// Opinion dynamics over the campaign weeks (scenario field <c>network.opinion</c>; docs/networks.md, "Opinion dynamics over
/// the campaign"): one issue's positions move on the electorate's online graph for <c>stepsPerWeek</c> steps in each of the
/// scenario's weeks, and election day counts the moved positions. Absent, positions stay where the electorate generator put them.
/// </summary>
public sealed record CampaignOpinion
{
    /// <summary>The dynamics (<see cref="OpinionModel"/>; JSON <c>"deffuant"</c>, <c>"algorithmic-bias"</c>, <c>"hegselmann-krause"</c>, <c>"de-groot"</c>, <c>"voter"</c>).</summary>
    [Param("The dynamics: deffuant, algorithmic-bias, hegselmann-krause, de-groot or voter.", Citation = "Deffuant et al. 2000; Sîrbu et al. 2019; Hegselmann & Krause 2002; DeGroot 1974; Holley & Liggett 1975")]
    public OpinionModel Model { get; init; } = OpinionModel.Deffuant;

    [Param("Index of the issue whose positions move (0 = the electorate spec's first issue); must be below the spec's number of issues.", Min = 0, Max = 15)]
    public int Issue { get; init; }

    [Param("Confidence bound ε on the dynamics' [0, 1] scale (the issue's lowest to highest position in the replicate's electorate): voters interact only if their positions differ by less than ε.",
        Min = 0, Max = 1, Unit = "share of the position range", Citation = "Deffuant et al. 2000, Adv. Complex Syst. 3; ε is an assumption here, not calibrated to campaign data")]
    public double Epsilon { get; init; } = 0.2;

    [Param("Convergence parameter μ: the fraction of the distance two interacting voters each move toward the other (0: nobody moves).",
        Min = 0, Max = 0.5, Citation = "Deffuant et al. 2000; the pace of change over a campaign is an assumption")]
    public double Mu { get; init; } = 0.1;

    [Param("Algorithmic bias γ (model algorithmic-bias only): partners are chosen with probability ∝ |Δ|^(−γ); 0 is no bias.",
        Min = 0, Max = 10, Citation = "Sîrbu et al. 2019, PLoS ONE 14(3)")]
    public double Gamma { get; init; }

    [Param("Steps of the dynamics per campaign week; one asynchronous step is as many pairwise interactions as there are voters (0: no movement).",
        Min = 0, Max = 1000, Unit = "steps per week", Citation = "assumption")]
    public int StepsPerWeek { get; init; } = 2;

    /// <summary>Range checks with JSON paths under <paramref name="path"/>; <paramref name="issues"/> (when known) bounds <see cref="Issue"/>.</summary>
    public void Validate(string path, int? issues, List<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        Parameters.CheckRanges(this, path, errors);
        if (!Enum.IsDefined(Model)) errors.Add(new(path + ".model", $"{Model} is not a model."));
        if (issues is int k && Issue >= k && Issue <= 15)
            errors.Add(new(path + ".issue", $"{Issue} is outside the valid range [0, {k - 1}]: the electorate has {k} issues."));
    }

    /// <summary>
    /// Runs the dynamics on <paramref name="online"/> over <paramref name="weeks"/> weeks and returns the drift: the issue's
    /// positions before and after and the per-voter, per-party utility shift that moving them causes under the electorate's
    /// vote model. Positions are rescaled to [0, 1] by the issue's lowest and highest position in this electorate (min–max,
    /// so ε is a share of the observed range), moved, and mapped back with the same bounds. Every model averages (or copies)
    /// positions, so the moved positions stay inside those bounds. The shift of party j for voter i is the change of the
    /// proximity term, −w·s_ik·[(x′_ik − p_jk)² − (x_ik − p_jk)²]; it is exactly 0 where a position did not move.
    /// Deterministic for a seed whatever <paramref name="threads"/> is (the asynchronous models are sequential; the
    /// synchronous ones give identical results for any thread count); <paramref name="seed"/> null means <see cref="Workbench.Random.Seeds.Default"/>.
    /// </summary>
    public OpinionDrift Run(Workbench.Electorate.Electorate e, Graph online, int weeks, int? seed, int threads = 1) =>
        Run(e, online, weeks, Workbench.Random.Seeds.Resolve(seed), threads);

    internal OpinionDrift Run(Workbench.Electorate.Electorate e, Graph online, int weeks, ulong seed, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(e); ArgumentNullException.ThrowIfNull(online);
        var errors = new List<ValidationError>();
        Validate("$", e.IssueCount, errors);
        if (weeks < 0) errors.Add(new("$.weeks", $"{weeks} is negative."));
        Parameters.ThrowIfAny(errors);
        int n = e.VoterCount, K = e.IssueCount, P = e.PartyCount, q = Issue;
        if (online.NodeCount != n) throw new ArgumentException($"the graph has {online.NodeCount} nodes; the electorate has {n} voters.", nameof(online));
        var before = new double[n];
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        for (int i = 0; i < n; i++) { before[i] = (double)e.IssuePosition[i * K + q]; lo = Math.Min(lo, before[i]); hi = Math.Max(hi, before[i]); }
        double range = hi - lo;
        var scaled = new double[n];
        for (int i = 0; i < n; i++) scaled[i] = range > 0 ? (before[i] - lo) / range : 0.5;
        int steps = weeks * StepsPerWeek;
        var moved = scaled;
        if (steps > 0 && range > 0)
            moved = Opinions.Run(Model, online, scaled, new OpinionParameters
            {
                Epsilon = Epsilon, Mu = Mu, Gamma = Gamma, Steps = steps, Tolerance = 0, RecordEvery = steps, RecordMetrics = false,
            }, seed, threads).Opinions.Raw();
        var after = new double[n];
        for (int i = 0; i < n; i++) after[i] = moved[i] == scaled[i] ? before[i] : lo + moved[i] * range;
        var vm = e.VoteModel;
        var shift = new float[(long)n * P];
        for (int i = 0; i < n; i++)
        {
            if (after[i] == before[i]) continue;
            double s = (double)e.IssueSalience[i * K + q];
            for (int j = 0; j < P; j++)
            {
                double p = vm.PartyPositionsArray[j * K + q], d0 = before[i] - p, d1 = after[i] - p;
                shift[(long)i * P + j] = (float)(-vm.PolicyWeight * s * (d1 * d1 - d0 * d0));
            }
        }
        return new OpinionDrift(before.Frozen(), after.Frozen(), OpinionMetrics.Of(scaled), OpinionMetrics.Of(moved), steps, shift.Frozen());
    }
}

/// <summary>What the campaign's opinion dynamics did in one replicate (<see cref="CampaignOpinion.Run(Workbench.Electorate.Electorate, Graph, int, int?, int)"/>).</summary>
/// <param name="Before">The issue's positions before the campaign (electorate scale), one per voter.</param>
/// <param name="After">The positions on election day (electorate scale).</param>
/// <param name="MetricsBefore">Polarisation and cluster metrics of the positions before, on the dynamics' [0, 1] scale.</param>
/// <param name="MetricsAfter">The same metrics on election day.</param>
/// <param name="Steps">Steps run (weeks × steps per week).</param>
/// <param name="UtilityShift">Per voter and party (i·P + j): the change of the proximity term the moved positions cause.</param>
public sealed record OpinionDrift(ImmutableArray<double> Before, ImmutableArray<double> After, OpinionMetrics MetricsBefore, OpinionMetrics MetricsAfter, int Steps, ImmutableArray<float> UtilityShift);
