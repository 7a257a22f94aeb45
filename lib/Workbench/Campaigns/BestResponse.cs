using Workbench.Behaviour;

namespace Workbench.Campaigns;

/// <summary>One campaign's plan in one best-response round.</summary>
/// <param name="Round">The round, from 1 (each campaign plans alone).</param>
/// <param name="Party">The sponsoring party.</param>
/// <param name="ExpectedObjective">The campaign's expected objective (expected seats, or vote share in points) with the plan it kept this
/// round, under its knowledge shifted by the expected effects of the other campaigns' latest plans (round 1: its knowledge alone).</param>
/// <param name="FirstPlanExpected">Its round-1 plan's expected objective under the same shifted knowledge: what answering the others has gained it.</param>
/// <param name="AllocationChange">Total variation distance between this round's and the previous round's allocation of attempts over
/// (channel, voter), each as a share of its plan's attempts: 0 unchanged, 1 disjoint (NaN in round 1).</param>
/// <param name="ObjectiveChange">ExpectedObjective minus the previous round's (NaN in round 1).</param>
public sealed record BestResponseRound(int Round, string Party, double ExpectedObjective, double FirstPlanExpected, double AllocationChange, double ObjectiveChange);

/// <summary>One campaign's final plan and its round-1 plan, both judged against the other campaigns' final plans.</summary>
/// <param name="Party">The sponsoring party.</param>
/// <param name="FinalPlanExpected">Expected objective of the plan delivered, under the campaign's knowledge shifted by the others' final plans.</param>
/// <param name="FirstPlanExpected">Expected objective of its round-1 plan under the same knowledge.</param>
public sealed record BestResponseCheck(string Party, double FinalPlanExpected, double FirstPlanExpected);

/// <summary>
/// The best-response rounds of one arm in one replicate: per round and campaign, the expected objective and how much the plan
/// changed; the round the rounds stopped at and whether they stopped because plans had converged.
/// </summary>
/// <param name="Rounds">Rounds allowed (the arm's <c>rounds</c>).</param>
/// <param name="StoppedAt">The last round played (the plans of that round are delivered).</param>
/// <param name="Converged">True when the rounds stopped because every campaign's allocation changed by at most
/// <see cref="BestResponse.AllocationTolerance"/>, or every campaign's expected objective by at most
/// <see cref="BestResponse.ObjectiveTolerance"/>; false when they ran out.</param>
/// <param name="History">Every campaign's record in every round played, in round then campaign order.</param>
/// <param name="Final">Per campaign, its final and its round-1 plan judged against the others' final plans.</param>
public sealed record BestResponseReport(int Rounds, int StoppedAt, bool Converged, IReadOnlyList<BestResponseRound> History, IReadOnlyList<BestResponseCheck> Final);

/// <summary>One campaign of a best-response game: its planning context (its own knowledge), spec, channels and sponsor.</summary>
/// <param name="Context">The campaign's context, with its own (unshifted) knowledge.</param>
/// <param name="Spec">The campaign.</param>
/// <param name="Channels">The channels it plans and delivers with.</param>
/// <param name="PublicChannels">The channels as the other campaigns see them (the published effects, without the campaign's private message factor).</param>
/// <param name="Sponsor">The sponsoring party's index.</param>
internal sealed record Rival(CampaignEngine.Context Context, CampaignSpec Spec, IReadOnlyList<ChannelSpec> Channels, IReadOnlyList<ChannelSpec> PublicChannels, int Sponsor);

/// <summary>
/// Campaigns that answer each other (docs/campaigns.md, "Rivals"). Round 1: every campaign plans alone, as a one-shot campaign
/// does. Rounds 2..R: the campaigns, in the arm's order, re-plan in turn (Gauss–Seidel: each answers the others' latest plans,
/// including those made earlier in the same round). A campaign re-planning knows the other campaigns' plans — whom they will
/// attempt, through which channels, how often — but not their effects: it estimates them with its own knowledge (its estimated
/// contact rates, turnout, support and leans) and the channels' published effects, shifts its knowledge by them
/// (<see cref="CampaignEngine.ExpectedEstimates"/>), and plans against the shifted knowledge, keeping its earlier plans as
/// candidates (<see cref="CampaignEngine.Plan"/>), so its new plan is never expected to do worse than its latest or its
/// round-1 plan against the same opponents. Rounds stop when plans converge or at R; only the final plans are delivered.
/// Deterministic: no random draw is made in planning beyond the one-shot plan's own.
/// </summary>
public static class BestResponse
{
    /// <summary>Convergence on allocations: every campaign's total variation distance between consecutive rounds at most this.</summary>
    public const double AllocationTolerance = 0.01;
    /// <summary>Convergence on objectives: every campaign's expected objective changed by at most this (seats, or points of vote share).</summary>
    public const double ObjectiveTolerance = 1e-3;

    /// <summary>Plays up to <paramref name="rounds"/> rounds; returns each campaign's final plan (in the order given) and the report.</summary>
    internal static (CampaignEngine.PlanResult[] Plans, BestResponseReport Report) Play(IReadOnlyList<Rival> rivals, int rounds, IReadOnlyList<string> parties)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        int N = rivals.Count;
        var first = new CampaignEngine.PlanResult[N];
        var latest = new CampaignEngine.PlanResult[N];
        var lastExpected = new double[N];
        var history = new List<BestResponseRound>();
        for (int c = 0; c < N; c++)
        {
            var r = rivals[c];
            first[c] = latest[c] = CampaignEngine.Plan(r.Context, r.Spec, r.Channels, r.Sponsor, r.Sponsor);
            lastExpected[c] = CampaignEngine.ExpectedObjective(r.Context, r.Spec, r.Channels, r.Sponsor, first[c]);
            history.Add(new BestResponseRound(1, parties[c], lastExpected[c], lastExpected[c], double.NaN, double.NaN));
        }
        int stoppedAt = 1; bool converged = false;
        for (int round = 2; round <= rounds && !converged; round++)
        {
            double maxChange = 0, maxObjective = 0;
            for (int c = 0; c < N; c++)
            {
                var r = rivals[c];
                var ctx = Shifted(rivals, c, latest);
                var incumbents = ReferenceEquals(latest[c], first[c]) ? new[] { latest[c] } : new[] { latest[c], first[c] };
                var plan = CampaignEngine.Plan(ctx, r.Spec, r.Channels, r.Sponsor, r.Sponsor, incumbents);
                double expected = CampaignEngine.ExpectedObjective(ctx, r.Spec, r.Channels, r.Sponsor, plan);
                double firstExpected = CampaignEngine.ExpectedObjective(ctx, r.Spec, r.Channels, r.Sponsor, first[c]);
                double change = AllocationChange(plan, latest[c]), objective = expected - lastExpected[c];
                history.Add(new BestResponseRound(round, parties[c], expected, firstExpected, change, objective));
                maxChange = Math.Max(maxChange, change); maxObjective = Math.Max(maxObjective, Math.Abs(objective));
                latest[c] = plan; lastExpected[c] = expected;
            }
            stoppedAt = round;
            converged = maxChange <= AllocationTolerance || maxObjective <= ObjectiveTolerance;
        }
        var final = new BestResponseCheck[N];
        for (int c = 0; c < N; c++)
        {
            var r = rivals[c];
            var ctx = Shifted(rivals, c, latest);
            final[c] = new BestResponseCheck(parties[c], CampaignEngine.ExpectedObjective(ctx, r.Spec, r.Channels, r.Sponsor, latest[c]),
                CampaignEngine.ExpectedObjective(ctx, r.Spec, r.Channels, r.Sponsor, first[c]));
        }
        return (latest, new BestResponseReport(rounds, stoppedAt, converged, history, final));
    }

    /// <summary>
    /// Campaign <paramref name="c"/>'s context with its knowledge shifted by the expected effect of every other campaign's plan
    /// in <paramref name="plans"/> (in the arm's order), each estimated with the knowledge shifted so far.
    /// </summary>
    internal static CampaignEngine.Context Shifted(IReadOnlyList<Rival> rivals, int c, IReadOnlyList<CampaignEngine.PlanResult> plans)
    {
        var own = rivals[c].Context;
        var knowledge = own.Knowledge;
        for (int d = 0; d < rivals.Count; d++)
        {
            if (d == c) continue;
            var other = rivals[d];
            // The other campaign's published channels, without its private message or test period (nor this campaign's).
            var (turnout, support) = CampaignEngine.ExpectedEstimates(own with { Knowledge = knowledge, MessageFactor = double.NaN, MessagePersuasionFactor = null }, other.PublicChannels, other.Spec, other.Sponsor, plans[d], 1.0);
            knowledge = own.Knowledge.WithEstimates(turnout, support);
        }
        return own with { Knowledge = knowledge };
    }

    /// <summary>
    /// Total variation distance between two plans' allocations of attempts over (channel, voter), each normalised by its total
    /// (the marginal unit's fractional attempt included): half the sum of absolute differences of the shares.
    /// </summary>
    internal static double AllocationChange(CampaignEngine.PlanResult a, CampaignEngine.PlanResult b)
    {
        double ta = Total(a), tb = Total(b);
        if (ta <= 0 && tb <= 0) return 0;
        if (ta <= 0 || tb <= 0) return 1;
        double sum = 0;
        for (int c = 0; c < a.Attempts.Length; c++)
            for (int i = 0; i < a.Attempts[c].Length; i++) sum += Math.Abs(Attempts(a, c, i) / ta - Attempts(b, c, i) / tb);
        return 0.5 * sum;
    }

    private static double Attempts(CampaignEngine.PlanResult p, int c, int i) =>
        p.Attempts[c][i] + (p.MarginalChannel == c && p.Unit[c][i] == p.MarginalUnit ? p.MarginalFraction : 0);

    private static double Total(CampaignEngine.PlanResult p)
    {
        double t = 0;
        for (int c = 0; c < p.Attempts.Length; c++) for (int i = 0; i < p.Attempts[c].Length; i++) t += Attempts(p, c, i);
        return t;
    }
}
