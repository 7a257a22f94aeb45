using Workbench.Data;
using Workbench.Random;
using Workbench.Behaviour;
using Workbench.Elections;

namespace Workbench.Campaigns;

/// <summary>
/// Plans and delivers one campaign (MODEL.md §6). Planning uses only the campaign's
/// <see cref="CampaignKnowledge"/> (its estimates, never the truth): each targetable unit of
/// each channel gets an expected value per cost — expected seats under the system the campaign
/// optimises for, or expected vote share — and the budget buys the best (channel, unit, repeat)
/// items first, a repeat attempt worth 1 − cp + cp·<see cref="ChannelSpec.Decay"/> of the previous one (cp the estimated contact probability), within each
/// channel's capacity (a water-filling allocation solved by bisection on the value-per-cost
/// threshold). Contact probabilities in planning are the campaign's estimates
/// (<see cref="CampaignKnowledge.ContactProbability(ChannelSpec, int, int)"/>), never a voter's true propensity. The allocation is repeated once,
/// linearised at the midpoint of the first plan's expected effect, and the better of the two kept; it is then compared
/// with the broadcast plan for the same budget and channels under the campaign's own model
/// (<see cref="ExpectedObjective"/>) and the better is kept, so the allocator never does worse than broadcast on its own
/// objective. Delivery then samples contacts with the true contact probabilities and adds the
/// calibrated shifts of <see cref="ResponseModel"/> to each contacted voter (and the household
/// spillover of canvassing). Each contact carries its week of the campaign's calendar (the campaign's schedule, or the
/// last week when the allocator times it); its persuasion reaches election day multiplied by
/// <see cref="Persistence.Remaining(int, int, double)"/>, its turnout effect as measured. With a message choice, a contact
/// made in the test's first weeks (<see cref="MessageChoice.TestWeeks"/>) carries the average variant and later ones the chosen
/// message (<see cref="Context.MessageFactor"/>), in planning and in delivery alike.
/// </summary>
public static class CampaignEngine
{

    /// <summary>Everything a campaign needs from its scenario.</summary>
    internal sealed record Context(ElectionDayModel Model, ResponseModel Responses, CampaignKnowledge Knowledge, VoterData Data,
        ElectoralSystemSpec? System, ulong Seed, int Threads)
    {
        /// <summary>The online layer of the electorate's social graph, used by influencer seeding and by owned posts spreading by cascade; null: built on first use (<see cref="OnlineGraph"/>).</summary>
        public Workbench.Networks.Graph? Online { get; init; }
        /// <summary>
        /// <see cref="Online"/>, or when it was not given the online layer of the electorate's default social graph
        /// (<see cref="Workbench.Networks.ElectorateGraph"/>, seeded from this context's seed), built once per context.
        /// </summary>
        public Workbench.Networks.Graph OnlineGraph => Online ?? _builtOnline.Value;
        private readonly Lazy<Workbench.Networks.Graph> _builtOnline = new(() =>
            Workbench.Networks.ElectorateGraph.Build(Model.Electorate, null, Seeds.Derive(Seed, SeedLabels.Campaign.OnlineGraph)).Online);
        /// <summary>
        /// Page insights (<see cref="PageInsights"/>) keyed by everything they depend on — sponsor, graph, cascade options and
        /// seed — so that a copy made with <c>with</c> shares them only where they are the same.
        /// </summary>
        internal System.Collections.Concurrent.ConcurrentDictionary<(int Sponsor, Workbench.Networks.Graph Graph, Workbench.Networks.CascadeOptions? Cascade, ulong Seed), double[]> Insights { get; } = new();
        /// <summary>
        /// Whether a campaign plans owned posts that spread by cascade with its page insights (the default) or with the constant
        /// <see cref="ChannelSpec.OutOfBubbleReach"/> — the latter only to show what the insights change.
        /// </summary>
        public bool PlansByInsights { get; init; } = true;
        /// <summary>When given, every contact is counted per voter here (political information received).</summary>
        public int[]? ContactCounter { get; init; }
        /// <summary>Keep per-voter contacts by channel and the units they were bought in (for the ad archive).</summary>
        public bool RecordDeliveries { get; init; }
        /// <summary>Weeks of the campaign calendar (contacts are made in weeks 1..Weeks; election day follows week Weeks).</summary>
        public int Weeks { get; init; } = Persistence.DefaultWeeks;
        /// <summary>Psychographic targeting: per-voter factors (mean 1) on the persuasion of paid-social contacts; null when not used.</summary>
        public float[]? PaidPersuasionFactor { get; init; }
        /// <summary>Message targeting: per-voter factors (mean 1) on the persuasion of every channel's contacts after the message test — the voter's cell's message relative to the campaign's mean message; null when not used.</summary>
        public float[]? MessagePersuasionFactor { get; init; }
        /// <summary>
        /// The campaign's chosen message: its true mean persuasion relative to the average variant, which scales the persuasion
        /// effect of every channel (<see cref="Messaged"/>) for contacts after the message test; NaN without a message choice
        /// (the channels' own effects).
        /// </summary>
        public double MessageFactor { get; init; } = double.NaN;
        /// <summary>
        /// Weeks 1..MessageTestWeeks of the calendar are the message test's (<see cref="MessageChoice.TestWeeks"/>): contacts made
        /// then carry the average variant (the channels' own effects, no per-voter message factor); 0: none.
        /// </summary>
        public int MessageTestWeeks { get; init; }
        /// <summary>How owned posts spread over <see cref="Online"/> (<c>"spread": "cascade"</c>); null: the defaults of <see cref="Workbench.Networks.CascadeOptions"/>.</summary>
        public Workbench.Networks.CascadeOptions? Cascade { get; init; }
        /// <summary>Half-life of persuasion between contact and election day, in days.</summary>
        public double HalfLifeDays { get; init; } = EvidenceSet.Central.PersuasionHalfLifeDays;
        /// <summary>A silence period: paid social and TV may not run in the last this many days (the regulation's <c>SilenceDays</c>); 0 for none.</summary>
        public double SilenceDays { get; init; }

        /// <summary>The share of a persuasion effect delivered through <paramref name="ch"/> in week <paramref name="week"/> that reaches election day, the silence period applied.</summary>
        public double Kept(ChannelSpec ch, int week) =>
            Persistence.Remaining(Persistence.DaysBeforeElection(week, Weeks, ch.PaidAdvertising ? SilenceDays : 0), HalfLifeDays);
    }

    /// <summary>
    /// The share of channel <paramref name="ch"/>'s spend in each week 1..W: the campaign's schedule for it, or — when the
    /// allocator times the channel — everything in the last week, where persuasion keeps most of its effect (turnout
    /// effects do not decay, so their timing does not matter).
    /// </summary>
    internal static double[] WeekShares(Context ctx, CampaignSpec spec, ChannelSpec ch)
    {
        if (spec.Schedule is { } sch && sch.TryGetValue(ch.Name, out var shares) && shares.Length == ctx.Weeks) return shares;
        var last = new double[ctx.Weeks];
        last[^1] = 1;
        return last;
    }

    /// <summary>
    /// The expected share of a contact's persuasion that reaches election day under the channel's week shares, split into the
    /// contacts made after the message test (<c>Kept</c>: they carry the chosen message, <see cref="Messaged"/>) and those
    /// made in its weeks (<c>KeptInTest</c>: they carry the average variant, the channel's own effect). Without a message
    /// test everything is <c>Kept</c>.
    /// </summary>
    internal static (double Kept, double KeptInTest) PersuasionKept(Context ctx, CampaignSpec spec, ChannelSpec ch)
    {
        var shares = WeekShares(ctx, spec, ch);
        int test = TestWeeks(ctx);
        double kept = 0, inTest = 0;
        for (int w = 0; w < shares.Length; w++)
        {
            double k = shares[w] * ctx.Kept(ch, w + 1);
            if (w < test) inTest += k; else kept += k;
        }
        return (kept, inTest);
    }

    /// <summary>Weeks of the message test in force (0 without a message choice).</summary>
    private static int TestWeeks(Context ctx) => double.IsNaN(ctx.MessageFactor) ? 0 : ctx.MessageTestWeeks;

    /// <summary>
    /// Channel <paramref name="ch"/> carrying the campaign's chosen message: its persuasion effect scaled by
    /// <see cref="Context.MessageFactor"/> (unchanged without a message choice or without persuasion).
    /// </summary>
    internal static ChannelSpec Messaged(Context ctx, ChannelSpec ch) =>
        double.IsNaN(ctx.MessageFactor) || ch.PersuasionEffect == 0 ? ch : ch with { PersuasionEffect = ch.PersuasionEffect * ctx.MessageFactor };

    /// <summary>Plans and delivers <paramref name="spec"/>, adding its shifts to <paramref name="turnoutShift"/> (per voter, logit) and <paramref name="utilityShift"/> (i·P + j).</summary>
    internal static CampaignOutcome Run(Context ctx, CampaignSpec spec, IReadOnlyList<ChannelSpec> channels, int campaignIndex,
        float[] turnoutShift, float[] utilityShift)
    {
        var e = ctx.Model.Electorate;
        int sponsor = e.PartyNames.ToList().IndexOf(spec.Party);
        if (sponsor < 0) throw new ArgumentException($"campaign party '{spec.Party}' is not a party of the electorate ({string.Join(", ", e.PartyNames)}).");
        var attempts = Plan(ctx, spec, channels, sponsor, campaignIndex);
        return Deliver(ctx, spec, channels, sponsor, campaignIndex, attempts, turnoutShift, utilityShift);
    }

    /// <summary>Expected value of one attempt on each voter for each channel, from the campaign's estimates.</summary>
    /// <remarks>With <paramref name="turnout"/> and <paramref name="support"/>, the values are linearised at those estimates (the
    /// campaign's knowledge shifted by a plan's expected effect) instead of at its knowledge; leans stay the knowledge's.</remarks>
    internal static double[][] Values(Context ctx, CampaignSpec spec, IReadOnlyList<ChannelSpec> channels, int sponsor, out double[][] costs,
        float[]? turnout = null, float[]? support = null)
    {
        var e = ctx.Model.Electorate; var kn = ctx.Knowledge;
        int n = e.VoterCount, P = e.PartyCount;
        var T = turnout ?? kn.TurnoutArray; var S = support ?? kn.SupportArray;
        var estimate = EstimateResults(e, T, S);
        var (useFptp, usePr, fptpWeight, rival, prWeight, prShare) = ObjectiveWeights(ctx, spec, sponsor, estimate);

        var values = new double[channels.Count][];
        costs = new double[channels.Count][];
        for (int c = 0; c < channels.Count; c++)
        {
            var ch = channels[c];
            var resp = ctx.Responses.For(sponsor, Messaged(ctx, ch));
            var v = values[c] = new double[n];
            var cost = costs[c] = new double[n];
            var contact = EstimatedContact(ctx, ch, sponsor, spec.Strategy);
            var (kept, keptInTest) = PersuasionKept(ctx, spec, ch);
            // Contacts in the message test's weeks carry the average variant: the channel's own response.
            bool test = keptInTest != 0;
            double testUtility = test ? ctx.Responses.For(sponsor, ch).Utility : 0;
            var mob = new double[n];
            var uplift = kn.UpliftFor(sponsor);
            for (int i = 0; i < n; i++)
            {
                int k = e.Constituency[i];
                long o = (long)i * P;
                double t = T[i], ps = S[o + sponsor];
                int leanEst = kn.EstimatedLean(i);
                double shift = leanEst == sponsor ? resp.TurnoutLogitLean : resp.TurnoutLogitOther;
                double dt = shift == 0 ? 0 : Workbench.Electorate.TurnoutModel.Logistic(Logit(t) + shift) - t;
                double valMob = 0, valPers = 0, valTest = 0;
                // The change in the sponsor's support one contact makes: from the choice model at the estimated support
                // (ps·(1 − ps)·utility), or, with an uplift model, its prediction for this voter. The voters it wins come from
                // the other parties in proportion to their support, so the FPTP rival loses pr/(1 − ps) of them.
                if (useFptp)
                {
                    double pr = S[o + rival[k]];
                    valMob += fptpWeight[k] * dt * (ps - pr);
                    if (uplift is null)
                    {
                        valPers += fptpWeight[k] * t * ps * resp.Utility * (1 - ps + pr);
                        if (test) valTest += fptpWeight[k] * t * ps * testUtility * (1 - ps + pr);
                    }
                    else
                    {
                        double rivalShare = 1 + pr / Math.Max(1e-6, 1 - ps);
                        valPers += fptpWeight[k] * t * uplift[i] * resp.Utility * rivalShare;
                        if (test) valTest += fptpWeight[k] * t * uplift[i] * testUtility * rivalShare;
                    }
                }
                if (usePr)
                {
                    valMob += prWeight[k] * dt * (ps - prShare[k]);
                    if (uplift is null)
                    {
                        valPers += prWeight[k] * t * ps * (1 - ps) * resp.Utility;
                        if (test) valTest += prWeight[k] * t * ps * (1 - ps) * testUtility;
                    }
                    else
                    {
                        valPers += prWeight[k] * t * uplift[i] * resp.Utility;
                        if (test) valTest += prWeight[k] * t * uplift[i] * testUtility;
                    }
                }
                double cp = contact[i];
                mob[i] = valMob;
                v[i] = cp * (test ? valMob + kept * valPers + keptInTest * valTest : valMob + kept * valPers);
                cost[i] = ch.Cost * (ch.ChargeOnContact ? cp : 1);
            }
            if (ch.HouseholdSpillover > 0) AddHouseholdMobilisation(e, ch, v, mob, contact);
        }
        return values;
    }

    /// <summary>The campaign's estimated results: per constituency its expected votes and party shares, and the national shares.</summary>
    private sealed record EstimatedResults(double[] Share, double[] Votes, double[] National, double TotalVotes);

    /// <summary>Estimates each constituency's votes and party shares, and the national shares, from per-voter turnout and support estimates.</summary>
    private static EstimatedResults EstimateResults(Workbench.Electorate.Electorate e, float[] T, float[] S)
    {
        int n = e.VoterCount, P = e.PartyCount, C = e.ConstituencyCount;
        var share = new double[C * P]; var votes = new double[C];
        for (int i = 0; i < n; i++)
        {
            int k = e.Constituency[i]; double t = T[i];
            votes[k] += t;
            for (int j = 0; j < P; j++) share[k * P + j] += t * S[(long)i * P + j];
        }
        double totalVotes = votes.Sum();
        var national = new double[P];
        for (int k = 0; k < C; k++) for (int j = 0; j < P; j++) { national[j] += share[k * P + j]; share[k * P + j] /= Math.Max(1e-9, votes[k]); }
        for (int j = 0; j < P; j++) national[j] /= Math.Max(1e-9, totalVotes);
        return new EstimatedResults(share, votes, national, totalVotes);
    }

    /// <summary>
    /// Components of the objective per constituency: whether the FPTP and share-based parts apply, the FPTP weight per net
    /// vote and the rival it is won from, and the share-based weight per vote and the sponsor's share it is measured against.
    /// </summary>
    private sealed record ObjectiveComponents(bool UseFptp, bool UsePr, double[] FptpWeight, int[] Rival, double[] PrWeight, double[] PrShare);

    /// <summary>Computes the objective's per-constituency weights (FPTP pivotality, list-PR or vote-share value per vote) from the estimated results.</summary>
    private static ObjectiveComponents ObjectiveWeights(Context ctx, CampaignSpec spec, int sponsor, EstimatedResults estimate)
    {
        var e = ctx.Model.Electorate;
        int P = e.PartyCount, C = e.ConstituencyCount;
        var (share, votes, national, totalVotes) = estimate;
        // Components of the objective: (per-constituency weight per net vote, FPTP rival or −1 for share-based).
        var fptpWeight = new double[C]; var rival = new int[C]; var prWeight = new double[C]; var prShare = new double[C];
        var sys = ctx.System;
        bool useFptp = spec.Objective == Objective.Seats && sys is { Type: "fptp" or "parallel" };
        bool usePr = spec.Objective == Objective.Votes || sys is null || sys.Type is "list" or "mmp" or "parallel";
        if (useFptp)
        {
            double sd = spec.MarginUncertainty;
            for (int k = 0; k < C; k++)
            {
                int r = -1; double best = double.NegativeInfinity;
                for (int j = 0; j < P; j++) if (j != sponsor && share[k * P + j] > best) { best = share[k * P + j]; r = j; }
                double m = share[k * P + sponsor] - best;
                fptpWeight[k] = Pivotality(m, sd, votes[k]);
                rival[k] = r;
            }
        }
        if (usePr)
        {
            if (spec.Objective == Objective.Seats && sys is { Type: "list" } && sys.Districts != "national")
            {
                var map = sys.DistrictMap(e);
                var seats = map.Seats;
                int R = seats.Length;
                var rv = new double[R]; var rs = new double[R];
                for (int k = 0; k < C; k++) { rv[map.DistrictOf[k]] += votes[k]; rs[map.DistrictOf[k]] += share[k * P + sponsor] * votes[k]; }
                for (int k = 0; k < C; k++) { int r = map.DistrictOf[k]; prWeight[k] = seats[r] / Math.Max(1, rv[r]); prShare[k] = rs[r] / Math.Max(1, rv[r]); }
            }
            else
            {
                double s = spec.Objective == Objective.Seats && sys is not null ? sys.ListSeats(C) : 100.0; // votes: percentage points
                // A national threshold (list PR, MMP): a party below it wins no list seats, so near it each vote is worth the
                // chance of crossing as well (ThresholdFactor); far from it the factor is exactly 1 and nothing changes.
                if (spec.Objective == Objective.Seats && sys is { Type: "list" or "mmp", Threshold: double theta } && theta > 0)
                    s *= ThresholdFactor(national[sponsor], theta, spec.ShareUncertainty);
                for (int k = 0; k < C; k++) { prWeight[k] = s / Math.Max(1, totalVotes); prShare[k] = national[sponsor]; }
            }
        }
        return new ObjectiveComponents(useFptp, usePr, fptpWeight, rival, prWeight, prShare);
    }

    /// <summary>Passes each household member's mobilisation value, at the channel's spillover share, to the contacted voter's attempt.</summary>
    private static void AddHouseholdMobilisation(Workbench.Electorate.Electorate e, ChannelSpec ch, double[] v, double[] mob, double[] contact)
    {
        int n = e.VoterCount;
        int start = 0;
        while (start < n)
        {
            int h = e.Household[start], end = start;
            double sum = 0;
            while (end < n && e.Household[end] == h) sum += mob[end++];
            for (int i = start; i < end; i++) v[i] += contact[i] * ch.HouseholdSpillover * (sum - mob[i]);
            start = end;
        }
    }

    /// <summary>
    /// The campaign's estimate of each voter's chance that one attempt through <paramref name="ch"/> becomes a contact:
    /// <see cref="CampaignKnowledge.ContactProbability(ChannelSpec, int, int)"/> for individual regimes, its mean over all voters under an aggregated
    /// regime (where the campaign cannot tell voters apart below a cell). Never a voter's true propensity.
    /// </summary>
    internal static double[] EstimatedContact(Context ctx, ChannelSpec ch, int sponsor, Strategy strategy = Strategy.Microtarget)
    {
        var e = ctx.Model.Electorate;
        int n = e.VoterCount;
        var contact = new double[n];
        // Owned posts spreading by cascade: the campaign believes a non-follower is reached at the rate its page insights
        // report for the voter's constituency (what an earlier post reached), not at a constant. Influencers' posts reach
        // their own ties directly: every tie at the platform use the campaign's records give.
        var reach = ReachOf(strategy, ch);
        var insights = reach == OwnedReach.Cascade && ctx.PlansByInsights ? PageInsights(ctx, sponsor) : null;
        for (int i = 0; i < n; i++)
            contact[i] = reach == OwnedReach.Ties ? ctx.Knowledge.ContactProbability(ch, i, sponsor, 1.0)
                : insights is null ? ctx.Knowledge.ContactProbability(ch, i, sponsor) : ctx.Knowledge.ContactProbability(ch, i, sponsor, insights[e.Constituency[i]]);
        if (ctx.Data.Regime.Aggregated)
        {
            double mean = 0;
            for (int i = 0; i < n; i++) mean += contact[i];
            Array.Fill(contact, mean / Math.Max(1, n));
        }
        return contact;
    }

    /// <summary>
    /// The campaign's expected objective — expected seats under the system it optimises for (FPTP: the sum over seats of
    /// Φ(margin / marginUncertainty), whose derivative per vote is <see cref="Pivotality"/>; list PR: seats × the sponsor's
    /// share nationally or per region), or expected national vote share in points — computed entirely from its own
    /// knowledge: estimated turnout and support, shifted by the expected effect of <paramref name="plan"/>'s attempts with
    /// estimated contact probabilities (null: no campaign). This is the quantity the allocator's values are the derivative of.
    /// </summary>
    internal static double ExpectedObjective(Context ctx, CampaignSpec spec, IReadOnlyList<ChannelSpec> channels, int sponsor, PlanResult? plan)
    {
        var (turnout, support) = ExpectedEstimates(ctx, channels, spec, sponsor, plan, 1.0);
        return ObjectiveAt(ctx, spec, sponsor, turnout, support);
    }

    /// <summary>
    /// The campaign's estimated turnout and support (i·P + j) after <paramref name="scale"/> times the expected effect of
    /// <paramref name="plan"/>'s attempts (null: its knowledge as it is), with estimated contact probabilities, the decay of
    /// repeat contacts, household spillover and the persuasion kept to election day.
    /// </summary>
    internal static (float[] Turnout, float[] Support) ExpectedEstimates(Context ctx, IReadOnlyList<ChannelSpec> channels, CampaignSpec spec, int sponsor, PlanResult? plan, double scale)
    {
        var e = ctx.Model.Electorate; var kn = ctx.Knowledge;
        int n = e.VoterCount, P = e.PartyCount;
        if (plan is null || scale == 0) return (kn.TurnoutArray, kn.SupportArray);
        var dLogit = new double[n]; var dUtil = new double[n]; var spill = new double[n];
        if (plan is not null)
        {
            for (int c = 0; c < channels.Count; c++)
            {
                var ch = channels[c]; var resp = ctx.Responses.For(sponsor, Messaged(ctx, ch));
                var contact = EstimatedContact(ctx, ch, sponsor, spec.Strategy);
                var (kept, keptInTest) = PersuasionKept(ctx, spec, ch);
                // The persuasion reaching election day per contact: the chosen message's after the test, the average variant's in it.
                double utilKept = keptInTest != 0 ? resp.Utility * kept + ctx.Responses.For(sponsor, ch).Utility * keptInTest : resp.Utility * kept;
                for (int i = 0; i < n; i++)
                {
                    double a = plan.Attempts[c][i];
                    if (plan.MarginalChannel == c && plan.Unit[c][i] == plan.MarginalUnit) a += plan.MarginalFraction;
                    if (a <= 0) continue;
                    // Expected sum of decayed contacts: attempt t adds cp · E[decay^(contacts so far)] = cp · (1 − cp + cp·decay)^t.
                    double cp = contact[i], q = 1 - cp + cp * ch.Decay, f = 0, pw = 1;
                    int full = (int)Math.Floor(a);
                    for (int t = 0; t < full; t++) { f += cp * pw; pw *= q; }
                    f += (a - full) * cp * pw;
                    f *= scale;
                    double shift = kn.EstimatedLean(i) == sponsor ? resp.TurnoutLogitLean : resp.TurnoutLogitOther;
                    dLogit[i] += shift * f; dUtil[i] += utilKept * f;
                    spill[i] += shift * f * ch.HouseholdSpillover;
                }
            }
            int start = 0;
            while (start < n)
            {
                int h = e.Household[start], end = start;
                double sum = 0;
                while (end < n && e.Household[end] == h) sum += spill[end++];
                if (sum != 0) for (int i = start; i < end; i++) dLogit[i] += sum - spill[i];
                start = end;
            }
        }
        var turnout = new float[n]; var support = new float[(long)n * P];
        var uplift = kn.UpliftFor(sponsor);
        for (int i = 0; i < n; i++)
        {
            long o = (long)i * P;
            turnout[i] = dLogit[i] == 0 ? kn.TurnoutArray[i] : (float)Workbench.Electorate.TurnoutModel.Logistic(Logit(kn.TurnoutArray[i]) + dLogit[i]);
            double ps = kn.SupportArray[o + sponsor];
            if (dUtil[i] == 0) { for (int j = 0; j < P; j++) support[o + j] = kn.SupportArray[o + j]; continue; }
            if (uplift is not null && ps > 0 && ps < 1)
            {
                // With an uplift model the sponsor's support moves by the predicted uplift per unit of utility (kept in (0, 1)),
                // taken from the other parties in proportion to their support.
                double moved = Math.Clamp(ps + uplift[i] * dUtil[i], 0.001, 0.999), rest = (1 - moved) / (1 - ps);
                for (int j = 0; j < P; j++) support[o + j] = (float)(j == sponsor ? moved : kn.SupportArray[o + j] * rest);
                continue;
            }
            double g = Math.Exp(dUtil[i]), norm = 1 - ps + ps * g;
            for (int j = 0; j < P; j++) support[o + j] = (float)(kn.SupportArray[o + j] * (j == sponsor ? g : 1) / norm);
        }
        return (turnout, support);
    }

    /// <summary>The objective of <see cref="ExpectedObjective"/> evaluated at estimated <paramref name="turnout"/> and <paramref name="support"/>.</summary>
    private static double ObjectiveAt(Context ctx, CampaignSpec spec, int sponsor, float[] turnout, float[] support)
    {
        var e = ctx.Model.Electorate;
        int n = e.VoterCount, P = e.PartyCount, C = e.ConstituencyCount;
        var share = new double[C * P]; var votes = new double[C];
        for (int i = 0; i < n; i++)
        {
            int k = e.Constituency[i]; long o = (long)i * P;
            double t = turnout[i];
            votes[k] += t;
            for (int j = 0; j < P; j++) share[k * P + j] += t * support[o + j];
        }
        double totalVotes = votes.Sum();
        var national = new double[P];
        for (int k = 0; k < C; k++) for (int j = 0; j < P; j++) national[j] += share[k * P + j];
        var sys = ctx.System;
        bool useFptp = spec.Objective == Objective.Seats && sys is { Type: "fptp" or "parallel" };
        bool usePr = spec.Objective == Objective.Votes || sys is null || sys.Type is "list" or "mmp" or "parallel";
        double value = 0;
        if (useFptp)
            for (int k = 0; k < C; k++)
            {
                double best = double.NegativeInfinity;
                for (int j = 0; j < P; j++) if (j != sponsor && share[k * P + j] > best) best = share[k * P + j];
                double v = Math.Max(1e-9, votes[k]);
                value += NormalCdf((share[k * P + sponsor] - best) / v / spec.MarginUncertainty);
            }
        if (usePr)
        {
            if (spec.Objective == Objective.Seats && sys is { Type: "list", Districts: "regions" })
            {
                var seats = ElectoralSystemSpec.RegionSeats(e, sys.ListSeats(C));
                var rv = new double[seats.Length]; var rs = new double[seats.Length];
                for (int k = 0; k < C; k++) { rv[e.ConstituencyRegion[k]] += votes[k]; rs[e.ConstituencyRegion[k]] += share[k * P + sponsor]; }
                for (int r = 0; r < seats.Length; r++) value += seats[r] * rs[r] / Math.Max(1, rv[r]);
            }
            else
            {
                double s = spec.Objective == Objective.Seats && sys is not null ? sys.ListSeats(C) : 100.0;
                double ownShare = national[sponsor] / Math.Max(1, totalVotes);
                // Under a national threshold the expected list seats are P(share ≥ θ) × seats × share (ThresholdFactor's integral).
                double crossing = spec.Objective == Objective.Seats && sys is { Type: "list" or "mmp", Threshold: double theta } && theta > 0
                    ? ThresholdProbability(ownShare, theta, spec.ShareUncertainty) : 1;
                value += s * ownShare * crossing;
            }
        }
        return value;
    }

    /// <summary>The standard normal distribution function (complementary error function of Numerical Recipes, relative error below 1.2e−7).</summary>
    internal static double NormalCdf(double x)
    {
        double z = Math.Abs(x) / Math.Sqrt(2), t = 1 / (1 + 0.5 * z);
        double erfc = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807
            + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
    }

    /// <summary>
    /// Seat pivotality per vote: the density at zero of a normal margin (mean <paramref name="margin"/>, sd
    /// <paramref name="sd"/>, in shares) divided by the expected votes of the seat — expected seats gained per net vote.
    /// </summary>
    public static double Pivotality(double margin, double sd, double votes) =>
        Math.Exp(-0.5 * margin * margin / (sd * sd)) / (sd * Math.Sqrt(2 * Math.PI)) / Math.Max(1, votes);

    /// <summary>The probability that a party's national share clears threshold <paramref name="theta"/> under a normal forecast (mean <paramref name="share"/>, sd <paramref name="sd"/>); exactly 1 or 0 beyond 6 sd (where Φ differs from them by less than 10⁻⁹).</summary>
    internal static double ThresholdProbability(double share, double theta, double sd)
    {
        double z = (share - theta) / sd;
        return z > 6 ? 1 : z < -6 ? 0 : NormalCdf(z);
    }

    /// <summary>
    /// The value of a vote to a party near a national threshold θ, relative to a party far above it: expected list seats are
    /// about P(share ≥ θ) × seats·share with the share forecast normal (mean <paramref name="share"/>, sd
    /// <paramref name="sd"/>), whose derivative per unit of share is seats × [Φ(z) + share·φ(z)/sd], z = (share − θ)/sd.
    /// Exactly 1 when z &gt; 6 (safely above the threshold) and 0 when z &lt; −6 (hopelessly below it), so the values of
    /// parties far from a threshold are exactly what they were without it.
    /// </summary>
    internal static double ThresholdFactor(double share, double theta, double sd)
    {
        double z = (share - theta) / sd;
        if (z > 6) return 1;
        if (z < -6) return 0;
        double phi = Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI);
        return NormalCdf(z) + share * phi / sd;
    }

    private static double Logit(double p) { p = Math.Clamp(p, 1e-6, 1 - 1e-6); return Math.Log(p / (1 - p)); }

    /// <summary>The units a channel can target under a strategy and regime: unit of each voter, or −1 where the voter cannot be targeted.</summary>
    internal static int[] Units(Context ctx, Strategy strategy, ChannelSpec ch, double[] value, out int unitCount) => Units(ctx, strategy, ch, value, out unitCount, out _);

    /// <summary>As <see cref="Units(Context, Strategy, ChannelSpec, double[], out int)"/>, also naming what a unit is (for the ad archive).</summary>
    internal static int[] Units(Context ctx, Strategy strategy, ChannelSpec ch, double[] value, out int unitCount, out string kind)
    {
        var e = ctx.Model.Electorate; var regime = ctx.Data.Regime;
        int n = e.VoterCount;
        var unit = new int[n];
        int AgeBand(int i) => Electorate.ElectorateSpec.AgeBandOf(e.Age[i]);
        bool platform = regime.AllowedSources.Contains(DataSource.PlatformTargeting) && !regime.BannedAttributes.Contains("age");
        if (ch.Kind == ChannelKind.Tv)
        {
            // TV is bought by region (and show, when not broadcast).
            int shows = 6;
            for (int i = 0; i < n; i++)
            {
                int r = e.ConstituencyRegion[e.Constituency[i]];
                unit[i] = strategy is Strategy.Broadcast or Strategy.Geographic ? r : r * shows + e.TvShow[i];
            }
            unitCount = (e.ConstituencyRegion.Max() + 1) * shows;
            kind = strategy is Strategy.Broadcast or Strategy.Geographic ? "region" : "region-show";
            return unit;
        }
        switch (strategy)
        {
            case Strategy.Geographic:
                for (int i = 0; i < n; i++) unit[i] = e.Constituency[i];
                unitCount = e.ConstituencyCount;
                kind = "constituency";
                return unit;
            case Strategy.Demographic:
                for (int i = 0; i < n; i++) unit[i] = AgeBand(i) * 3 + e.Education[i];
                unitCount = 18;
                kind = "age-education";
                return unit;
            case Strategy.Microtarget:
                if (ch.Kind is ChannelKind.PaidSocial or ChannelKind.OwnedSocial)
                {
                    bool customAudiences = ch.Kind == ChannelKind.PaidSocial && !regime.Aggregated && regime.CustomAudiences && regime.AllowedSources.Contains(DataSource.VoterFile);
                    if (customAudiences) return CustomAudiences(ctx, e, ch, value, regime, platform, unit, out unitCount, out kind);
                    // Platform audiences: constituency × age band (or constituency alone without platform targeting);
                    // paid ads under a minimum audience are broadened as advertisers do (PlatformAudience).
                    if (ch.Kind == ChannelKind.PaidSocial && regime.MinimumAudience > 1) return PlatformAudience(e, ch, value, regime.MinimumAudience, platform, unit, out unitCount, out kind);
                    for (int i = 0; i < n; i++) unit[i] = platform ? e.Constituency[i] * 6 + AgeBand(i) : e.Constituency[i];
                    unitCount = e.ConstituencyCount * (platform ? 6 : 1);
                    kind = platform ? "constituency-age" : "constituency";
                    return unit;
                }
                if (regime.Aggregated)
                {
                    for (int i = 0; i < n; i++) unit[i] = ctx.Data.CellOf(i);
                    unitCount = ctx.Data.CellCount;
                    kind = "cell";
                    return unit;
                }
                for (int i = 0; i < n; i++) unit[i] = i;
                unitCount = n;
                kind = "voter";
                return unit;
            default:
                unitCount = 1;
                kind = "everyone";
                return unit; // broadcast: one unit
        }
    }

    /// <summary>Separates a combined custom-audience unit kind: the platform audiences of the unmatched voters start at unit <c>Offset</c>.</summary>
    internal static (string PlatformKind, int Offset)? SplitCustomAudienceKind(string kind)
    {
        if (!kind.StartsWith(CustomAudiencePrefix, StringComparison.Ordinal)) return null;
        var parts = kind.Split('|');
        return (parts[1], int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
    }

    private const string CustomAudiencePrefix = "custom-audience|";

    /// <summary>
    /// Paid social where the regime allows custom audiences: the campaign uploads its voter file and the platform matches a
    /// share of it to its users (<see cref="CustomAudienceMatch"/>) and serves the matched voters — individually, or in blocks
    /// of at least the minimum audience, best voters first. The voters the platform could not match are still on the platform:
    /// the campaign reaches them as any advertiser does, through the platform's own audiences (constituency × age band,
    /// widened under a minimum audience as <see cref="PlatformAudience"/> does), which start after the custom-audience units.
    /// Without them a targeted plan could not reach the unmatched four in ten that a broadcast buy reaches, and under large ad
    /// effects it lost to broadcast on its own objective. The kind is "custom-audience|PLATFORM-KIND|OFFSET"
    /// (<see cref="SplitCustomAudienceKind"/>).
    /// </summary>
    private static int[] CustomAudiences(Context ctx, Electorate.Electorate e, ChannelSpec ch, double[] value, DataRegime regime, bool platform, int[] unit, out int unitCount, out string kind)
    {
        int n = e.VoterCount;
        var matched = CustomAudienceMatch.Matched(e, regime.CustomAudienceMatchRate, ctx.Seed);
        int offset;
        if (regime.MinimumAudience <= 1)
        {
            for (int i = 0; i < n; i++) unit[i] = matched[i] ? i : -1;
            offset = n;
        }
        else
        {
            var order = Enumerable.Range(0, n).Where(i => matched[i]).ToArray();
            var keys = order.Select(i => -value[i]).ToArray();
            Array.Sort(keys, order);
            Array.Fill(unit, -1);
            int block = regime.MinimumAudience;
            for (int r = 0; r < order.Length; r++) unit[order[r]] = r / block;
            offset = Math.Max(1, (order.Length + block - 1) / block);
        }
        var unmatched = new bool[n];
        for (int i = 0; i < n; i++) unmatched[i] = !matched[i];
        var rest = new int[n];
        int restCount; string restKind;
        if (regime.MinimumAudience > 1) PlatformAudience(e, ch, value, regime.MinimumAudience, platform, rest, out restCount, out restKind, unmatched);
        else
        {
            for (int i = 0; i < n; i++) rest[i] = !unmatched[i] ? -1 : platform ? e.Constituency[i] * 6 + Electorate.ElectorateSpec.AgeBandOf(e.Age[i]) : e.Constituency[i];
            restCount = e.ConstituencyCount * (platform ? 6 : 1);
            restKind = platform ? "constituency-age" : "constituency";
        }
        for (int i = 0; i < n; i++) if (rest[i] >= 0) unit[i] = offset + rest[i];
        unitCount = offset + restCount;
        kind = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{CustomAudiencePrefix}{restKind}|{offset}");
        return unit;
    }

    /// <summary>
    /// The people on the platform in a unit — the measure every minimum audience is compared with (the regime's and a
    /// regulation's alike, never scaled with the electorate): the expected number of the unit's voters the channel can reach
    /// in a week (<see cref="ChannelSpec.ContactProbability"/>: their use of the platforms it buys), not its voters on the roll.
    /// Planning reads it from the voters' true platform use: it stands for the audience-size estimate ad platforms report to
    /// advertisers (Meta's "estimated audience size"), the one piece of the truth a campaign's plan sees, and only where a minimum
    /// audience binds (tested in Campaigns.Planning).
    /// </summary>
    internal static double[] PlatformPeople(Electorate.Electorate e, ChannelSpec ch, int[] unit, int unitCount)
    {
        var people = new double[unitCount];
        for (int i = 0; i < unit.Length; i++) if (unit[i] >= 0) people[unit[i]] += ch.ContactProbability(e, i, -1);
        return people;
    }

    /// <summary>
    /// Platform audiences of paid ads under a minimum audience: the finest targeting level — constituency × age band,
    /// constituency, region × age band, region, the whole electorate (the age levels only where platform targeting on age is
    /// allowed) — that keeps the most value in audiences at least <paramref name="minimum"/> people on the platform large
    /// (the sum over such audiences of their positive value). This is how advertisers answer a minimum: they widen the
    /// audience rather than give up the channel. A level whose audiences are all large enough is never beaten by a coarser
    /// one, so the rule changes nothing where the minimum does not bind.
    /// </summary>
    private static int[] PlatformAudience(Electorate.Electorate e, ChannelSpec ch, double[] value, int minimum, bool platform, int[] unit, out int unitCount, out string kind,
        bool[]? include = null)
    {
        int n = e.VoterCount, regions = e.ConstituencyRegion.Max() + 1;
        var levels = new List<(string Kind, int Count, Func<int, int> Of)>();
        int Band(int i) => Electorate.ElectorateSpec.AgeBandOf(e.Age[i]);
        if (platform) levels.Add(("constituency-age", e.ConstituencyCount * 6, i => e.Constituency[i] * 6 + Band(i)));
        levels.Add(("constituency", e.ConstituencyCount, i => e.Constituency[i]));
        if (platform) levels.Add(("region-age", regions * 6, i => e.ConstituencyRegion[e.Constituency[i]] * 6 + Band(i)));
        levels.Add(("region", regions, i => e.ConstituencyRegion[e.Constituency[i]]));
        levels.Add(("national", 1, _ => 0));
        // Each voter's chance of being on the platform, read once for all levels.
        var onPlatform = new double[n];
        for (int i = 0; i < n; i++) onPlatform[i] = ch.ContactProbability(e, i, -1);
        int best = 0; double bestScore = double.NegativeInfinity;
        for (int l = 0; l < levels.Count; l++)
        {
            var (_, count, of) = levels[l];
            var people = new double[count]; var v = new double[count];
            for (int i = 0; i < n; i++) { if (include is not null && !include[i]) continue; int u = of(i); people[u] += onPlatform[i]; v[u] += value[i]; }
            double score = 0;
            for (int u = 0; u < count; u++) if (people[u] >= minimum && v[u] > 0) score += v[u];
            if (score > bestScore) { best = l; bestScore = score; }
        }
        var chosen = levels[best];
        for (int i = 0; i < n; i++) unit[i] = include is null || include[i] ? chosen.Of(i) : -1;
        unitCount = chosen.Count; kind = chosen.Kind;
        return unit;
    }

    /// <summary>Attempts per voter and channel (byte per voter), plus a fractional extra attempt for the marginal unit.</summary>
    internal sealed record PlanResult(byte[][] Attempts, int[][] Unit, int MarginalChannel, int MarginalUnit, double MarginalFraction)
    {
        /// <summary>What a unit of each channel is (everyone, voter, custom-audience, constituency-age, cell, …).</summary>
        public string[] UnitKinds { get; init; } = [];
        /// <summary>The campaign's expected objective with this plan (NaN when not evaluated: broadcast and influencer strategies).</summary>
        public double Expected { get; init; } = double.NaN;
        /// <summary>The campaign's expected objective with the broadcast plan for the same budget and channels (NaN when not evaluated).</summary>
        public double BroadcastExpected { get; init; } = double.NaN;
        /// <summary>True when the targeted plan was expected to do worse than broadcast and the campaign broadcast instead.</summary>
        public bool FellBackToBroadcast { get; init; }
        /// <summary>The campaign's expected objective with its best targeted plan, kept or not (NaN when not evaluated).</summary>
        public double TargetedExpected { get; init; } = double.NaN;
        /// <summary>With volunteers: where they live and canvass, and the canvass channel's capacity per constituency.</summary>
        public VolunteerPlan? Volunteers { get; init; }
        /// <summary>The channel the volunteers staff (−1 without volunteers).</summary>
        public int VolunteerChannel { get; init; } = -1;
    }

    /// <summary>
    /// The campaign's plan: the broadcast split, influencer seeding, or the targeted allocation — which is kept only when
    /// the campaign's own model expects it to do at least as well as the broadcast plan for the same budget and channels
    /// (<see cref="ExpectedObjective"/>); otherwise the campaign broadcasts (<see cref="PlanResult.FellBackToBroadcast"/>).
    /// </summary>
    /// <remarks>
    /// With <paramref name="incumbents"/> (best-response rounds: the campaign's earlier plans), each incumbent is a further
    /// candidate, evaluated with the same <see cref="ExpectedObjective"/> under this context's knowledge: an incumbent targeted
    /// plan competes with the new targeted plan, an incumbent that fell back to broadcast with the broadcast plan, and the
    /// better of the two sides is kept as before. So the plan returned is never expected to do worse, under this knowledge,
    /// than any incumbent. Without incumbents the plan is exactly the one-shot plan.
    /// </remarks>
    internal static PlanResult Plan(Context ctx, CampaignSpec spec, IReadOnlyList<ChannelSpec> channels, int sponsor, int campaignIndex,
        IReadOnlyList<PlanResult>? incumbents = null)
    {
        var e = ctx.Model.Electorate;
        int n = e.VoterCount, CH = channels.Count;
        if (spec.Budget <= 0)
        {
            var none = new byte[CH][]; var zero = new int[CH][];
            for (int c = 0; c < CH; c++) { none[c] = new byte[n]; zero[c] = new int[n]; }
            return new PlanResult(none, zero, -1, -1, 0) { UnitKinds = Enumerable.Repeat("everyone", CH).ToArray() };
        }
        var values = Values(ctx, spec, channels, sponsor, out var costs);
        if (spec.Strategy is Strategy.Broadcast or Strategy.Influencer) return PlanFor(ctx, spec, channels, sponsor, campaignIndex, spec.Strategy, values, costs);
        // Volunteers: where they live and where they canvass fix the canvass channel's capacity in each constituency, routed
        // once on the campaign's first values (its knowledge before the plan).
        var capacityByConstituency = new double[CH][];
        VolunteerPlan? volunteers = null; int volunteerChannel = -1;
        if (spec.Volunteers is { } vs)
        {
            volunteerChannel = Enumerable.Range(0, CH).FirstOrDefault(c => channels[c].Kind == ChannelKind.Canvass, -1);
            if (volunteerChannel < 0) throw new ArgumentException($"campaign of '{spec.Party}' has volunteers but no canvass channel.");
            volunteers = RouteVolunteers(ctx, vs, channels[volunteerChannel], values[volunteerChannel], sponsor);
            capacityByConstituency[volunteerChannel] = [.. volunteers.Capacity];
        }
        var targeted = PlanFor(ctx, spec, channels, sponsor, campaignIndex, spec.Strategy, values, costs, capacityByConstituency);
        double vt = ExpectedObjective(ctx, spec, channels, sponsor, targeted);
        // The allocation maximises a linearisation at the campaign's current estimates, so with large effects it
        // over-concentrates (a marginal seat stops being marginal once the plan has moved it). Linearise again at the
        // midpoint of the plan's expected effect, plan again, and keep the better of the two.
        var last = targeted;
        for (int round = 0; round < Relinearisations; round++)
        {
            var (midTurnout, midSupport) = ExpectedEstimates(ctx, channels, spec, sponsor, last, 0.5);
            last = PlanFor(ctx, spec, channels, sponsor, campaignIndex, spec.Strategy, Values(ctx, spec, channels, sponsor, out var costsAgain, midTurnout, midSupport), costsAgain, capacityByConstituency);
            double va = ExpectedObjective(ctx, spec, channels, sponsor, last);
            if (va > vt) { targeted = last; vt = va; }
        }
        var broadcast = PlanFor(ctx, spec, channels, sponsor, campaignIndex, Strategy.Broadcast, values, costs, capacityByConstituency);
        double vb = ExpectedObjective(ctx, spec, channels, sponsor, broadcast);
        foreach (var old in incumbents ?? [])
        {
            // An earlier plan, judged under the present knowledge: it replaces the candidate of its own kind when strictly better.
            double vo = ExpectedObjective(ctx, spec, channels, sponsor, old);
            if (old.FellBackToBroadcast) { if (vo > vb) { broadcast = old; vb = vo; } }
            else if (vo > vt) { targeted = old; vt = vo; }
        }
        var chosen = vt >= vb ? targeted with { Expected = vt, BroadcastExpected = vb, TargetedExpected = vt }
                              : broadcast with { Expected = vb, BroadcastExpected = vb, TargetedExpected = vt, FellBackToBroadcast = true };
        return volunteers is null ? chosen : chosen with { Volunteers = volunteers, VolunteerChannel = volunteerChannel };
    }

    /// <summary>
    /// Places the campaign's volunteers where the sponsor's identifiers live and routes them (<see cref="Volunteers.Route(Workbench.Electorate.Electorate, VolunteerSpec, int[], IReadOnlyList{double[]}, int?)"/>)
    /// on the allocator's own values of a canvass attempt: per constituency, each voter's first attempt is worth its value
    /// and each repeat q = 1 − cp + cp·decay times the previous (cp the estimated contact probability), up to the channel's
    /// frequency cap, best first. Seeded per campaign.
    /// </summary>
    private static VolunteerPlan RouteVolunteers(Context ctx, VolunteerSpec vs, ChannelSpec ch, double[] value, int sponsor)
    {
        var e = ctx.Model.Electorate;
        int n = e.VoterCount, C = e.ConstituencyCount;
        var home = Volunteers.Place(e, sponsor, vs.Count, Seeds.Derive(ctx.Seed, SeedLabels.Campaign.VolunteerHomes));
        if (vs.Routing == Routing.Home) return Volunteers.Route(e, vs, home, Enumerable.Repeat(Array.Empty<double>(), C).ToArray(), Seeds.Derive(ctx.Seed, SeedLabels.Campaign.VolunteerRoutes));
        var contact = EstimatedContact(ctx, ch, sponsor);
        var lists = Enumerable.Range(0, C).Select(_ => new List<double>()).ToArray();
        for (int i = 0; i < n; i++)
        {
            double v = value[i];
            if (!(v > 0)) continue;
            double q = 1 - contact[i] + contact[i] * ch.Decay;
            var list = lists[e.Constituency[i]];
            for (int r = 0; r < ch.MaxFrequency; r++, v *= q) list.Add(v);
        }
        var sorted = lists.Select(l => { var a = l.ToArray(); Array.Sort(a); Array.Reverse(a); return a; }).ToArray();
        return Volunteers.Route(e, vs, home, sorted, Seeds.Derive(ctx.Seed, SeedLabels.Campaign.VolunteerRoutes));
    }

    /// <summary>How many times the targeted allocation is repeated, each linearised at the midpoint of the previous plan's expected effect.</summary>
    internal const int Relinearisations = 1;

    /// <summary>One plan of <paramref name="strategy"/> on the given values and costs: broadcast, influencer seeding, or the targeted water-filling allocation.</summary>
    private static PlanResult PlanFor(Context ctx, CampaignSpec spec, IReadOnlyList<ChannelSpec> channels, int sponsor, int campaignIndex, Strategy strategy, double[][] values, double[][] costs,
        double[]?[]? capacityByConstituency = null)
    {
        int CH = channels.Count;
        var attempts = new byte[CH][];
        var units = new int[CH][];
        if (strategy == Strategy.Broadcast) return PlanBroadcast(ctx, spec, channels, campaignIndex, costs, capacityByConstituency, attempts, units);
        if (strategy == Strategy.Influencer) return Seed(ctx, spec, channels, values, costs, units, attempts);
        var table = BuildUnitTable(ctx, strategy, channels, sponsor, values, costs, capacityByConstituency, units);
        AssignUnitSeats(ctx, table, units);
        var lambdas = Thresholds(table, spec.Budget);
        return Buy(ctx, spec, table, units, attempts, lambdas);
    }

    /// <summary>
    /// The targetable units of each channel in one targeted plan — their summed value, cost and size, value per cost, repeat
    /// factor and constituency — and the rule (<see cref="Selected"/>) for how many attempts a unit gets at a value-per-cost threshold.
    /// </summary>
    private sealed class UnitTable(IReadOnlyList<ChannelSpec> channels, double[]?[]? capacityByConstituency, int channelCount)
    {
        public IReadOnlyList<ChannelSpec> Channels { get; } = channels;
        public string[] Kinds { get; } = new string[channelCount];
        public double[][] Value { get; } = new double[channelCount][];
        public double[][] Cost { get; } = new double[channelCount][];
        public long[][] Size { get; } = new long[channelCount][];
        public double[][] Ratio { get; } = new double[channelCount][];
        /// <summary>Each further attempt on a unit is worth this times the previous.</summary>
        public double[][] Repeat { get; } = new double[channelCount][];
        /// <summary>The constituency of each unit (only for channels with a capacity per constituency).</summary>
        public int[][] Seat { get; } = new int[channelCount][];
        /// <summary>A value-per-cost floor per unit that keeps each constituency's attempts within its capacity.</summary>
        public double[][] Floor { get; } = new double[channelCount][];

        /// <summary>A channel's capacity per constituency (volunteers), or null.</summary>
        public double[]? PerSeat(int c) => capacityByConstituency?[c];
        /// <summary>A channel's national capacity; a channel with a capacity per constituency has none.</summary>
        public double? NationalCapacity(int c) => PerSeat(c) is null ? Channels[c].Capacity : null;

        /// <summary>Attempts bought on unit <paramref name="u"/> of channel <paramref name="c"/> at value-per-cost threshold <paramref name="lambda"/>.</summary>
        public int Selected(int c, int u, double lambda)
        {
            if (Floor[c] is { } fl && fl[u] > lambda) lambda = fl[u];
            double r = Ratio[c][u], q = Repeat[c][u];
            if (r <= 0 || r < lambda) return 0;
            var ch = Channels[c];
            if (lambda <= 0 || q >= 1) return ch.MaxFrequency;
            if (q <= 0) return 1;
            int extra = (int)Math.Floor(Math.Log(lambda / r) / Math.Log(q) + 1e-12);
            return Math.Min(ch.MaxFrequency, 1 + extra);
        }

        /// <summary>Spend on channel <paramref name="c"/> at threshold <paramref name="lambda"/>.</summary>
        public double Spend(int c, double lambda) { double s = 0; var rc = Ratio[c]; for (int u = 0; u < rc.Length; u++) { int k = Selected(c, u, lambda); if (k > 0) s += k * Cost[c][u]; } return s; }
        /// <summary>Attempts on channel <paramref name="c"/> at threshold <paramref name="lambda"/>.</summary>
        public double AttemptsOf(int c, double lambda) { double s = 0; var rc = Ratio[c]; for (int u = 0; u < rc.Length; u++) { int k = Selected(c, u, lambda); if (k > 0) s += k * Size[c][u]; } return s; }
    }

    /// <summary>Broadcast: splits the budget evenly over the channels (what a saturated channel cannot spend goes to the others) and draws each voter's attempts at that even rate.</summary>
    private static PlanResult PlanBroadcast(Context ctx, CampaignSpec spec, IReadOnlyList<ChannelSpec> channels, int campaignIndex, double[][] costs,
        double[]?[]? capacityByConstituency, byte[][] attempts, int[][] units)
    {
        double[]? PerSeat(int c) => capacityByConstituency?[c];
        double? NationalCapacity(int c) => PerSeat(c) is null ? channels[c].Capacity : null;
        var e = ctx.Model.Electorate;
        int n = e.VoterCount, CH = channels.Count;
        // Even split over the channels; what a saturated channel cannot spend goes to the others.
        var perVoter = new double[CH]; var totalCost = new double[CH]; var limit = new double[CH];
        for (int c = 0; c < CH; c++)
        {
            totalCost[c] = costs[c].Sum();
            limit[c] = channels[c].MaxFrequency;
            if (NationalCapacity(c) is double cap) limit[c] = Math.Min(limit[c], cap / n);
            if (PerSeat(c) is { } seats) limit[c] = Math.Min(limit[c], seats.Sum() / n);
        }
        double remaining = spec.Budget;
        for (int pass = 0; pass < CH && remaining > 1e-9; pass++)
        {
            var open = Enumerable.Range(0, CH).Where(c => totalCost[c] > 0 && perVoter[c] < limit[c] - 1e-12).ToArray();
            if (open.Length == 0) break;
            double each = remaining / open.Length;
            foreach (int c in open)
            {
                double add = Math.Min(limit[c] - perVoter[c], each / totalCost[c]);
                perVoter[c] += add; remaining -= add * totalCost[c];
            }
        }
        for (int c = 0; c < CH; c++)
        {
            units[c] = new int[n];
            double q = perVoter[c];
            int full = (int)Math.Floor(q); double frac = q - full;
            var a = attempts[c] = new byte[n];
            var rng = new RandomStream(ctx.Seed, StreamIds.Campaign(StreamIds.CampaignStream.Broadcast, campaignIndex, c), 0);
            if (PerSeat(c) is { } seatCap)
            {
                // Within each constituency's capacity: the even rate where it fits, the capacity spread evenly where not,
                // never more attempts than the capacity.
                var voters = new int[seatCap.Length]; var made = new int[seatCap.Length];
                for (int i = 0; i < n; i++) voters[e.Constituency[i]]++;
                for (int i = 0; i < n; i++)
                {
                    int k = e.Constituency[i];
                    double rate = Math.Min(q, seatCap[k] / Math.Max(1, voters[k]));
                    int whole = (int)Math.Floor(rate); double part = rate - whole;
                    int want = whole + (part > 0 && rng.NextDouble() < part ? 1 : 0);
                    int room = (int)Math.Floor(seatCap[k] + 1e-9) - made[k];
                    a[i] = (byte)Math.Clamp(want, 0, Math.Max(0, room));
                    made[k] += a[i];
                }
                continue;
            }
            for (int i = 0; i < n; i++) a[i] = (byte)(full + (frac > 0 && rng.NextDouble() < frac ? 1 : 0));
        }
        return new PlanResult(attempts, units, -1, -1, 0) { UnitKinds = Enumerable.Repeat("everyone", CH).ToArray() };
    }

    /// <summary>Groups each channel's voters into targetable units and sums each unit's value, cost and size, its value per cost and its repeat factor.</summary>
    private static UnitTable BuildUnitTable(Context ctx, Strategy strategy, IReadOnlyList<ChannelSpec> channels, int sponsor, double[][] values, double[][] costs,
        double[]?[]? capacityByConstituency, int[][] units)
    {
        int n = ctx.Model.Electorate.VoterCount, CH = channels.Count;
        var table = new UnitTable(channels, capacityByConstituency, CH);
        // Units and their value, cost and size per channel.
        var kinds = table.Kinds;
        var uValue = table.Value; var uCost = table.Cost; var uSize = table.Size; var ratio = table.Ratio;
        // Each further attempt on a unit is worth q times the previous: an attempt reaches a voter with (estimated) probability
        // cp, and a contact is worth `decay` of the one before, so attempt t adds cp·(1 − cp + cp·decay)^t. q is the unit's
        // value-weighted mean of 1 − cp + cp·decay (for channels that always reach, cp = 1 and q = decay).
        var uRepeat = table.Repeat;
        for (int c = 0; c < CH; c++)
        {
            var ch = channels[c];
            units[c] = Units(ctx, strategy, ch, values[c], out int U, out kinds[c]);
            var contact = EstimatedContact(ctx, ch, sponsor, strategy);
            uValue[c] = new double[U]; uCost[c] = new double[U]; uSize[c] = new long[U]; ratio[c] = new double[U]; uRepeat[c] = new double[U];
            var qWeight = new double[U];
            for (int i = 0; i < n; i++)
            {
                int u = units[c][i]; if (u < 0) continue;
                uValue[c][u] += values[c][i]; uCost[c][u] += costs[c][i]; uSize[c][u]++;
                if (values[c][i] > 0) { uRepeat[c][u] += values[c][i] * (1 - contact[i] + contact[i] * ch.Decay); qWeight[u] += values[c][i]; }
            }
            bool ads = ch.Kind is ChannelKind.PaidSocial or ChannelKind.Tv;
            int minimum = ctx.Data.Regime.MinimumAudience;
            // Custom-audience blocks (a custom-audience channel's first units) are matched platform accounts (each one person on the platform); other audiences count
            // their expected people on the platform (PlatformPeople).
            var people = ads && minimum > 1 ? PlatformPeople(ctx.Model.Electorate, ch, units[c], U) : null;
            int matchedUnits = SplitCustomAudienceKind(kinds[c]) is { } split ? split.Offset : 0;
            for (int u = 0; u < U; u++)
            {
                bool tooSmall = ads && (people is null || u < matchedUnits ? uSize[c][u] : people[u]) < minimum;
                ratio[c][u] = uCost[c][u] > 0 && uValue[c][u] > 0 && !tooSmall ? uValue[c][u] / uCost[c][u] : 0;
                uRepeat[c][u] = qWeight[u] > 0 ? uRepeat[c][u] / qWeight[u] : ch.Decay;
            }
        }
        return table;
    }

    /// <summary>Finds the constituency of each unit of a channel with a capacity per constituency (units never straddle constituencies: voters, cells of a neighbourhood, constituencies).</summary>
    private static void AssignUnitSeats(Context ctx, UnitTable table, int[][] units)
    {
        var e = ctx.Model.Electorate;
        int n = e.VoterCount, CH = table.Channels.Count;
        for (int c = 0; c < CH; c++)
        {
            if (table.PerSeat(c) is null) continue;
            var us = table.Seat[c] = new int[table.Ratio[c].Length];
            Array.Fill(us, -1);
            for (int i = 0; i < n; i++) { int u = units[c][i]; if (u >= 0 && us[u] < 0) us[u] = e.Constituency[i]; }
        }
    }

    /// <summary>
    /// The value-per-cost threshold of each channel, by bisection: the national capacity's threshold, each constituency's capacity
    /// floor (stored in the table), and the global threshold at which the budget is spent.
    /// </summary>
    private static double[] Thresholds(UnitTable table, double budget)
    {
        var channels = table.Channels; var ratio = table.Ratio;
        int CH = channels.Count;
        double maxRatio = 0, minRatio = double.PositiveInfinity;
        for (int c = 0; c < CH; c++) foreach (var r in ratio[c]) if (r > 0) { maxRatio = Math.Max(maxRatio, r); minRatio = Math.Min(minRatio, r); }
        var lambdas = new double[CH];
        if (maxRatio > 0)
        {
            double lo = Math.Log(minRatio * Math.Pow(channels.Min(ch => ch.Decay is > 0 and < 1 ? ch.Decay : 1), 20) * 0.5), hi = Math.Log(maxRatio * 1.0000001);
            var capLambda = new double[CH];
            for (int c = 0; c < CH; c++) if (table.NationalCapacity(c) is double cap) { int cc = c; capLambda[c] = Bisect(l => table.AttemptsOf(cc, l), cap, lo, hi); }
            for (int c = 0; c < CH; c++)
            {
                if (table.PerSeat(c) is not { } seatCap) continue;
                table.Floor[c] = SeatFloors(table, c, seatCap, lo, hi);
            }
            double global = Bisect(l => { double s = 0; for (int c = 0; c < CH; c++) s += table.Spend(c, Math.Max(l, capLambda[c])); return s; }, budget, lo, hi);
            for (int c = 0; c < CH; c++) lambdas[c] = Math.Max(global, capLambda[c]);
        }
        else for (int c = 0; c < CH; c++) lambdas[c] = double.PositiveInfinity;
        return lambdas;
    }

    /// <summary>The smallest threshold (bisected on its log between <paramref name="lo"/> and <paramref name="hi"/>) at which <paramref name="f"/> is within <paramref name="limit"/>; 0 when it already is at 0.</summary>
    private static double Bisect(Func<double, double> f, double limit, double lo, double hi)
    {
        if (f(0) <= limit) return 0;
        double a = lo, b = hi;
        for (int it = 0; it < 64; it++) { double m = 0.5 * (a + b); if (f(Math.Exp(m)) <= limit) b = m; else a = m; }
        return Math.Exp(b);
    }

    /// <summary>The per-unit value-per-cost floor of channel <paramref name="c"/> that keeps each constituency's attempts within its capacity.</summary>
    private static double[] SeatFloors(UnitTable table, int c, double[] seatCap, double lo, double hi)
    {
        var ratio = table.Ratio; var unitSeat = table.Seat; var uSize = table.Size;
        var bySeat = Enumerable.Range(0, seatCap.Length).Select(_ => new List<int>()).ToArray();
        for (int u = 0; u < ratio[c].Length; u++) if (unitSeat[c][u] >= 0) bySeat[unitSeat[c][u]].Add(u);
        var seatLambda = new double[seatCap.Length];
        int cc = c;
        for (int k = 0; k < seatCap.Length; k++)
        {
            var list = bySeat[k];
            seatLambda[k] = Bisect(l => { double s = 0; foreach (int u in list) { int m = table.Selected(cc, u, l); if (m > 0) s += m * uSize[cc][u]; } return s; }, seatCap[k], lo, hi);
        }
        var fl = new double[ratio[c].Length];
        for (int u = 0; u < fl.Length; u++) fl[u] = unitSeat[c][u] >= 0 ? seatLambda[unitSeat[c][u]] : 0;
        return fl;
    }

    /// <summary>Buys each unit's attempts at its channel's threshold (attempts per voter); then the best unbought item is bought in part with what is left.</summary>
    private static PlanResult Buy(Context ctx, CampaignSpec spec, UnitTable table, int[][] units, byte[][] attempts, double[] lambdas)
    {
        var channels = table.Channels; var ratio = table.Ratio; var uCost = table.Cost; var uSize = table.Size; var unitSeat = table.Seat; var uRepeat = table.Repeat;
        int n = ctx.Model.Electorate.VoterCount, CH = channels.Count;
        // Attempts per voter; then the best unbought item is bought in part with what is left.
        double spent = 0;
        var unitAttempts = new int[CH][];
        for (int c = 0; c < CH; c++)
        {
            unitAttempts[c] = new int[ratio[c].Length];
            for (int u = 0; u < ratio[c].Length; u++) { unitAttempts[c][u] = table.Selected(c, u, lambdas[c]); spent += unitAttempts[c][u] * uCost[c][u]; }
            attempts[c] = new byte[n];
            for (int i = 0; i < n; i++) { int u = units[c][i]; if (u >= 0) attempts[c][i] = (byte)unitAttempts[c][u]; }
        }
        int mc = -1, mu = -1; double bestNext = 0;
        for (int c = 0; c < CH; c++)
        {
            var ch = channels[c];
            double used = table.AttemptsOf(c, lambdas[c]);
            double[]? usedBySeat = null;
            if (table.PerSeat(c) is { } seats)
            {
                usedBySeat = new double[seats.Length];
                for (int u = 0; u < ratio[c].Length; u++) if (unitSeat[c][u] >= 0) usedBySeat[unitSeat[c][u]] += unitAttempts[c][u] * uSize[c][u];
            }
            for (int u = 0; u < ratio[c].Length; u++)
            {
                int k = unitAttempts[c][u];
                if (ratio[c][u] <= 0 || k >= ch.MaxFrequency) continue;
                if (table.NationalCapacity(c) is double cap && used + uSize[c][u] > cap) continue;
                if (usedBySeat is not null && (unitSeat[c][u] < 0 || usedBySeat[unitSeat[c][u]] + uSize[c][u] > table.PerSeat(c)![unitSeat[c][u]])) continue;
                double next = ratio[c][u] * Math.Pow(uRepeat[c][u], k);
                if (next > bestNext) { bestNext = next; mc = c; mu = u; }
            }
        }
        double fraction = mc >= 0 ? Math.Clamp((spec.Budget - spent) / uCost[mc][mu], 0, 1) : 0;
        return new PlanResult(attempts, units, mc, mu, fraction) { UnitKinds = table.Kinds };
    }

    /// <summary>
    /// Influencer seeding: a seed's post is one attempt on each of its online ties. Seeds are taken in
    /// order of their audience's estimated value per cost (ties in voter order); audiences overlap, so each
    /// seed is charged only for the attempts it adds (a tie already at the channel's frequency cap adds none).
    /// </summary>
    private static PlanResult Seed(Context ctx, CampaignSpec spec, IReadOnlyList<ChannelSpec> channels, double[][] values, double[][] costs, int[][] units, byte[][] attempts)
    {
        var g = ctx.Online ?? throw new InvalidOperationException("influencer seeding needs the online layer of the social graph (Context.Online).");
        int n = ctx.Model.Electorate.VoterCount, CH = channels.Count;
        var items = new List<(double Ratio, int Channel, int Seed)>();
        for (int c = 0; c < CH; c++)
        {
            units[c] = new int[n];
            attempts[c] = new byte[n];
            for (int s = 0; s < n; s++)
            {
                double v = 0, cost = 0;
                for (int k = 0; k < g.Degree(s); k++) { int j = g.Neighbour(s, k); v += values[c][j]; cost += costs[c][j]; }
                if (v > 0 && cost > 0) items.Add((v / cost, c, s));
            }
        }
        items.Sort((a, b) => b.Ratio != a.Ratio ? b.Ratio.CompareTo(a.Ratio) : a.Channel != b.Channel ? a.Channel.CompareTo(b.Channel) : a.Seed.CompareTo(b.Seed));
        double spent = 0;
        foreach (var (_, c, s) in items)
        {
            double add = 0;
            for (int k = 0; k < g.Degree(s); k++) { int j = g.Neighbour(s, k); if (attempts[c][j] < channels[c].MaxFrequency) add += costs[c][j]; }
            if (add <= 0) continue;
            if (spent + add > spec.Budget) break;
            for (int k = 0; k < g.Degree(s); k++) { int j = g.Neighbour(s, k); if (attempts[c][j] < channels[c].MaxFrequency) attempts[c][j]++; }
            spent += add;
        }
        return new PlanResult(attempts, units, -1, -1, 0) { UnitKinds = Enumerable.Repeat("influencer", CH).ToArray() };
    }

    /// <summary>
    /// Who the sponsor's owned-social post reaches through the online graph: the post appears in the feed of every follower
    /// (the sponsor's identifiers) and each follower shares it with the cascade's acceptance, as anyone else who sees it does
    /// (<see cref="Workbench.Networks.Cascades.Paid(Workbench.Networks.Graph, IReadOnlyList{double}, IReadOnlyList{int}, double, Workbench.Networks.CascadeOptions?, int?)"/>'s
    /// rule, with <see cref="Context.Cascade"/>: followers are the post's audience, not all of them its posters); opinions are
    /// ranks on the first issue (<see cref="Workbench.Networks.ElectorateGraph.IssueRanks"/>, the cascade's [0, 1] scale), the post
    /// sits at the identifiers' mean rank and sharing falls with each voter's distance from it. Seeded per
    /// campaign; the same whatever the thread count.
    /// </summary>
    private static bool[] CascadeReach(Context ctx, int sponsor) => CascadeReach(ctx, sponsor, SeedLabels.Campaign.EarnedMedia);

    /// <summary>
    /// The campaign's page insights: for each constituency, the share of voters who do not identify with <paramref name="sponsor"/>
    /// that an earlier post of the same kind reached (the cascade of <see cref="CascadeReach(Context, int)"/> on the same graph,
    /// from its own seed) — an aggregate by location such as platforms report to page owners, never who was reached. Cached per
    /// context and sponsor.
    /// </summary>
    internal static double[] PageInsights(Context ctx, int sponsor) => ctx.Insights.GetOrAdd((sponsor, ctx.OnlineGraph, ctx.Cascade, ctx.Seed), key =>
    {
        int s = key.Sponsor;
        var e = ctx.Model.Electorate;
        var reached = CascadeReach(ctx, s, SeedLabels.Campaign.PageInsights);
        var hit = new double[e.ConstituencyCount]; var all = new double[e.ConstituencyCount];
        for (int i = 0; i < e.VoterCount; i++)
        {
            if (e.PartyId[i] == s) continue;
            all[e.Constituency[i]]++;
            if (reached[i]) hit[e.Constituency[i]]++;
        }
        for (int k = 0; k < hit.Length; k++) hit[k] = all[k] > 0 ? hit[k] / all[k] : 0;
        return hit;
    });

    private static bool[] CascadeReach(Context ctx, int sponsor, ulong label)
    {
        var e = ctx.Model.Electorate;
        var g = ctx.OnlineGraph;
        int n = e.VoterCount;
        // Opinions on the cascade's [0, 1] scale: ranks on the first issue.
        var opinion = Workbench.Networks.ElectorateGraph.IssueRanks(e);
        var seeds = new List<int>();
        double sum = 0;
        for (int i = 0; i < n; i++)
            if (e.PartyId[i] == sponsor) { seeds.Add(i); sum += opinion[i]; }
        if (seeds.Count == 0) return new bool[n];
        var result = Workbench.Networks.Cascades.Paid(g, opinion, seeds, sum / seeds.Count, ctx.Cascade, Seeds.Derive(ctx.Seed, label));
        var reached = new bool[n];
        for (int i = 0; i < n; i++) reached[i] = result.Exposures[i] > 0;
        return reached;
    }

    /// <summary>How a channel's attempts reach voters who do not follow the sponsor.</summary>
    private enum OwnedReach
    {
        /// <summary>The channel's own rule (<see cref="ChannelSpec.ContactProbability"/>): every channel but owned social spreading by cascade.</summary>
        ChannelRule,
        /// <summary>Owned social spreading by cascade: a non-follower only when the cascade of the sponsor's post reaches them.</summary>
        Cascade,
        /// <summary>Owned social spreading by cascade under influencer seeding: the plan names the influencers' own ties, each reached directly.</summary>
        Ties,
    }

    /// <summary>How <paramref name="ch"/> reaches non-followers under <paramref name="strategy"/>: the one place planning and delivery decide it.</summary>
    private static OwnedReach ReachOf(Strategy strategy, ChannelSpec ch) =>
        ch.Kind != ChannelKind.OwnedSocial || ch.Spread != Spread.Cascade ? OwnedReach.ChannelRule
        : strategy == Strategy.Influencer ? OwnedReach.Ties : OwnedReach.Cascade;

    /// <summary>
    /// The true probability that one attempt on voter <paramref name="i"/> becomes a contact: the channel's own rule, except that an
    /// influencer's tie sees the post at their own platform use, and a non-follower of a post spreading by cascade sees it, at their
    /// own platform use, only when the cascade reached them (<paramref name="reached"/>).
    /// </summary>
    private static double TrueContact(Electorate.Electorate e, ChannelSpec ch, int i, int sponsor, OwnedReach reach, bool[]? reached) =>
        reach == OwnedReach.Ties ? ch.ContactProbability(e, i, e.PartyId[i])
        : reached is not null && e.PartyId[i] != sponsor ? (reached[i] ? ch.ContactProbability(e, i, e.PartyId[i]) : 0)
        : ch.ContactProbability(e, i, sponsor);

    /// <summary>Delivers a plan made by <see cref="Plan"/> (truth: true contact probabilities and responses), adding its shifts to <paramref name="turnoutShift"/> and <paramref name="utilityShift"/>.</summary>
    internal static CampaignOutcome Deliver(Context ctx, CampaignSpec spec, IReadOnlyList<ChannelSpec> channels, int sponsor, int campaignIndex,
        PlanResult plan, float[] turnoutShift, float[] utilityShift)
    {
        var model = ctx.Model; var e = model.Electorate;
        int n = e.VoterCount, P = e.PartyCount, C = e.ConstituencyCount, CH = channels.Count;
        var responses = channels.Select(ch => ctx.Responses.For(sponsor, Messaged(ctx, ch))).ToArray();
        // Contacts in the message test's weeks carry the average variant: the channels' own responses.
        int testWeeks = TestWeeks(ctx);
        var testResponses = testWeeks > 0 ? channels.Select(ch => ctx.Responses.For(sponsor, ch)).ToArray() : null;
        // The sponsor's expected vote share (truth), and whether the campaign only demobilises, for judging precision.
        bool demobilising = channels.All(ch => ch.TurnoutEffect <= 0 && Messaged(ctx, ch).PersuasionEffect <= 0) && channels.Any(ch => (ch.OpponentTurnoutEffect ?? 0) < 0);
        double sponsorShare = model.ExpectedShares[sponsor];
        var delivered = ctx.RecordDeliveries ? Enumerable.Range(0, CH).Select(_ => new byte[n]).ToArray() : null;
        var spill = new float[n];
        bool anySpill = channels.Any(ch => ch.HouseholdSpillover > 0);
        var (cumulative, keptByWeek, singleWeek) = Calendar(ctx, spec, channels);
        var reach = channels.Select(ch => ReachOf(spec.Strategy, ch)).ToArray();
        var cascade = reach.Select(r => r == OwnedReach.Cascade ? CascadeReach(ctx, sponsor) : null).ToArray();
        // Per chunk: spend[CH], attempts[CH], contacts[CH], voters contacted, spend per constituency, on target, contacts outside the bubble.
        int outside = 3 * CH + 2 + C;
        // With volunteers: the canvass channel's attempts per constituency, after the other totals.
        int vc = plan.VolunteerChannel, seatAttempts = 3 * CH + 3 + C, size = seatAttempts + (vc >= 0 ? C : 0);
        var totals = DeterministicParallel.MapReduce(n, ctx.Threads, (s, end) =>
        {
            var acc = new double[size];
            Span<double> prob = stackalloc double[P];
            for (int i = (int)s; i < end; i++)
            {
                bool reached = false;
                double voterLogit = 0, voterUtil = 0; int voterContacts = 0;
                int k = e.Constituency[i];
                for (int c = 0; c < CH; c++)
                {
                    int a = plan.Attempts[c][i];
                    if (plan.MarginalChannel == c && plan.Unit[c][i] == plan.MarginalUnit)
                    {
                        var fr = new RandomStream(ctx.Seed, StreamIds.Campaign(StreamIds.CampaignStream.Fraction, campaignIndex, c), (ulong)i);
                        if (fr.NextDouble() < plan.MarginalFraction) a++;
                    }
                    if (a == 0) continue;
                    var ch = channels[c]; var resp = responses[c];
                    double cp = TrueContact(e, ch, i, sponsor, reach[c], cascade[c]);
                    var rng = new RandomStream(ctx.Seed, StreamIds.Campaign(StreamIds.CampaignStream.Contact, campaignIndex, c), (ulong)i);
                    int contacts = 0;
                    double logit = 0, util = 0;
                    double dLogit = model.Lean[i] == sponsor ? resp.TurnoutLogitLean : resp.TurnoutLogitOther;
                    double dUtil = resp.Utility * (double)e.Persuadability[i] / model.MeanPersuadability
                                   * (ch.Kind == ChannelKind.PaidSocial && ctx.PaidPersuasionFactor is { } pf ? pf[i] : 1.0)
                                   * (ctx.MessagePersuasionFactor is { } mf ? mf[i] : 1.0);
                    // In the test's weeks: the average variant, without the voter's cell factor.
                    double dUtilTest = testResponses is null ? dUtil
                        : testResponses[c].Utility * (double)e.Persuadability[i] / model.MeanPersuadability
                          * (ch.Kind == ChannelKind.PaidSocial && ctx.PaidPersuasionFactor is { } pf2 ? pf2[i] : 1.0);
                    bool persuades = dUtil != 0 || dUtilTest != 0;
                    var weeks = singleWeek[c] < 0 && persuades ? new RandomStream(ctx.Seed, StreamIds.CampaignWeek, ((ulong)c << 32) | (uint)i) : default;
                    for (int t = 0; t < a; t++)
                    {
                        bool contact = rng.NextDouble() < cp;
                        double cost = ch.ChargeOnContact ? (contact ? ch.Cost : 0) : ch.Cost;
                        acc[c] += cost; acc[3 * CH + 1 + k] += cost;
                        acc[CH + c]++;
                        if (c == vc) acc[seatAttempts + k]++;
                        if (!contact) continue;
                        double f = Math.Pow(ch.Decay, contacts);
                        // The contact's week: persuasion decays from then to election day; turnout effects apply as measured.
                        int week = singleWeek[c];
                        if (week < 0 && persuades) { double u = weeks.NextDouble(); week = 0; while (week < cumulative[c].Length - 1 && u >= cumulative[c][week]) week++; }
                        logit += dLogit * f; util += (week < testWeeks ? dUtilTest : dUtil) * f * (week < 0 ? 0 : keptByWeek[c][week]);
                        contacts++;
                    }
                    if (delivered is not null) delivered[c][i] = (byte)Math.Min(255, contacts);
                    if (contacts > 0)
                    {
                        reached = true;
                        voterLogit += logit; voterUtil += util; voterContacts += contacts;
                        acc[2 * CH + c] += contacts;
                        if (e.PartyId[i] != sponsor) acc[outside] += contacts;
                        turnoutShift[i] += (float)logit;
                        if (util != 0) utilityShift[(long)i * P + sponsor] += (float)util;
                        if (ch.HouseholdSpillover > 0) spill[i] += (float)(logit * ch.HouseholdSpillover);
                    }
                }
                if (reached)
                {
                    acc[3 * CH]++;
                    // On target (judged with the truth): for a demobilising campaign, voters less likely than average to
                    // vote for the sponsor; otherwise likely supporters, or persuadable voters when persuading.
                    model.Probabilities(i, prob);
                    double ps = prob[sponsor];
                    bool onTarget = demobilising ? ps < sponsorShare : ps >= sponsorShare || (voterUtil > 0 && ps is >= 0.2 and <= 0.8);
                    if (onTarget) acc[3 * CH + 1 + C]++;
                    if (ctx.ContactCounter is { } counter) counter[i] += voterContacts;
                }
            }
            return acc;
        }, new double[size], (x, y) => { for (int q = 0; q < x.Length; q++) x[q] += y[q]; return x; });

        if (anySpill) SpillOverHouseholds(e, spill, turnoutShift);
        return Outcome(spec, channels, plan, totals, delivered, C, outside, seatAttempts);
    }

    /// <summary>The campaign calendar per channel: cumulative week shares, the share of persuasion each week keeps to election day, and the single week (or −1) when no draw is needed.</summary>
    private sealed record WeekCalendar(double[][] Cumulative, double[][] KeptByWeek, int[] SingleWeek);

    /// <summary>Computes each channel's calendar from its week shares; a channel with one week (the allocator's timing, or a schedule concentrated on one week) needs no draw.</summary>
    private static WeekCalendar Calendar(Context ctx, CampaignSpec spec, IReadOnlyList<ChannelSpec> channels)
    {
        int CH = channels.Count;
        // The calendar: each channel's cumulative week shares and the persuasion each week keeps; a channel with one week
        // (the allocator's timing, or a schedule concentrated on one week) needs no draw.
        var cumulative = new double[CH][]; var keptByWeek = new double[CH][]; var singleWeek = new int[CH];
        for (int c = 0; c < CH; c++)
        {
            var shares = WeekShares(ctx, spec, channels[c]);
            cumulative[c] = new double[shares.Length]; keptByWeek[c] = new double[shares.Length];
            double acc = 0; int nonZero = 0, only = shares.Length - 1;
            for (int w = 0; w < shares.Length; w++)
            {
                acc += shares[w]; cumulative[c][w] = acc;
                keptByWeek[c][w] = ctx.Kept(channels[c], w + 1);
                if (shares[w] > 0) { nonZero++; only = w; }
            }
            singleWeek[c] = nonZero == 1 ? only : -1;
        }
        return new WeekCalendar(cumulative, keptByWeek, singleWeek);
    }

    /// <summary>Adds each voter's household members' canvassing turnout spillover to the voter's turnout shift.</summary>
    private static void SpillOverHouseholds(Workbench.Electorate.Electorate e, float[] spill, float[] turnoutShift)
    {
        int n = e.VoterCount;
        int start = 0;
        while (start < n)
        {
            int h = e.Household[start], end = start;
            double sum = 0;
            while (end < n && e.Household[end] == h) sum += spill[end++];
            if (sum != 0) for (int i = start; i < end; i++) turnoutShift[i] += (float)(sum - spill[i]);
            start = end;
        }
    }

    /// <summary>Assembles the campaign's outcome from the delivery totals (spend, attempts and contacts by channel, voters contacted and on target, spend per constituency).</summary>
    private static CampaignOutcome Outcome(CampaignSpec spec, IReadOnlyList<ChannelSpec> channels, PlanResult plan, double[] totals, byte[][]? delivered,
        int C, int outside, int seatAttempts)
    {
        int CH = channels.Count;
        return new CampaignOutcome
        {
            Party = spec.Party, Sponsor = spec.Sponsor,
            Spend = Enumerable.Range(0, CH).Sum(c => totals[c]),
            Attempts = (long)Enumerable.Range(0, CH).Sum(c => totals[CH + c]),
            Contacts = (long)Enumerable.Range(0, CH).Sum(c => totals[2 * CH + c]),
            SpendByChannel = Enumerable.Range(0, CH).ToDictionary(c => channels[c].Name, c => totals[c]),
            ContactsByChannel = Enumerable.Range(0, CH).ToDictionary(c => channels[c].Name, c => (long)totals[2 * CH + c]),
            VotersContacted = (long)totals[3 * CH],
            VotersOnTarget = (long)totals[3 * CH + 1 + C],
            ContactsOutsideBubble = (long)totals[outside],
            Deliveries = delivered is null ? null : new Deliveries([.. channels], plan.Unit.Frozen(), plan.UnitKinds.Frozen(), delivered.Frozen()),
            SpendByConstituency = totals.AsSpan(3 * CH + 1, C).ToArray(),
            ExpectedObjective = plan.Expected, BroadcastExpectedObjective = plan.BroadcastExpected, FellBackToBroadcast = plan.FellBackToBroadcast,
            Volunteers = plan.Volunteers is null ? null : plan.Volunteers with { Attempts = totals.AsSpan(seatAttempts, C).ToArray() },
        };
    }
}
