using Workbench.Random;

namespace Workbench.Electorate;

/// <summary>Progress of a long generation: stage name and fraction done (0..1).</summary>
public readonly record struct GenerationProgress(string Stage, double Fraction);

/// <summary>
/// Generates a synthetic electorate from a spec (MODEL.md §1–2). Stages: geography (regions,
/// constituencies on a map, neighbourhoods, households); per-constituency IPF of demographic
/// marginals; voter attributes in parallel over constituencies, each voter drawing from its own
/// counter-based stream (seed, stream, voter index) so the result is identical for any thread
/// count; calibration of party valences and turnout on a deterministic subsample; the sincere
/// vote and turnout propensity of every voter.
/// </summary>
public static class Generator
{
    // Stream ids: one per stage, so adding draws to one stage never shifts another's numbers.
    private const uint StreamGeography = 1, StreamConstituency = 2, StreamNeighbourhood = 3, StreamHousehold = 4,
        StreamVoter = 5, StreamVote = 6, StreamOffsets = 7;

    private const int BigFiveCount = 5, PlatformCount = 7, ConsumerCount = 4, Shows = 6;

    /// <summary>Correlations of the Big Five (O, C, E, A, N), of the order of the meta-analytic estimates of van der Linden, te Nijenhuis &amp; Bakker (2010, J. Res. Pers. 44(3)); neuroticism negatively related to the others.</summary>
    private static readonly double[,] BigFiveCorrelation =
    {
        { 1.00, 0.15, 0.25, 0.10, -0.10 },
        { 0.15, 1.00, 0.20, 0.25, -0.25 },
        { 0.25, 0.20, 1.00, 0.15, -0.20 },
        { 0.10, 0.25, 0.15, 1.00, -0.25 },
        { -0.10, -0.25, -0.20, -0.25, 1.00 },
    };

    private static readonly MultivariateNormal BigFive =
        MultivariateNormal.FromCorrelation(new double[BigFiveCount], [1, 1, 1, 1, 1], BigFiveCorrelation);

    // Media platforms: intercept, per decade of age above 45, per education level (logit scale).
    private static readonly double[] MediaBase = [0.6, -0.2, 0.9, -1.0, -1.6, 0.4, -1.0];
    private static readonly double[] MediaAge = [-0.05, -0.55, -0.30, -0.75, -0.25, 0.45, 0.45];
    private static readonly double[] MediaEdu = [-0.05, 0.10, 0.05, -0.10, 0.35, 0.00, 0.35];
    // TV shows: lean on the economic and cultural dimensions.
    private static readonly double[] ShowEcon = [-0.8, -0.3, 0.0, 0.3, 0.8, 0.0];
    private static readonly double[] ShowCult = [-0.6, 0.2, 0.0, -0.2, 0.7, 0.9];

    /// <summary>Generates <paramref name="voters"/> voters from <paramref name="spec"/> with a seed; identical output for any <paramref name="threads"/>.</summary>
    public static Electorate Generate(ElectorateSpec spec, int voters, ulong seed, int threads = 1, IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.EnsureValid();
        if (voters < spec.Constituencies * 10)
            throw new ArgumentOutOfRangeException(nameof(voters), voters, $"voters must be at least 10 per constituency ({spec.Constituencies * 10} for '{spec.Name}').");
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "threads must be ≥ 1.");

        var e = new Electorate(spec, voters, seed);
        progress?.Report(new("geography", 0));
        var latent = BuildGeography(e, seed, threads);
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new("demographics", 0.05));
        var cellTables = FitDemographics(e, latent);
        progress?.Report(new("voters", 0.1));
        GenerateVoters(e, seed, threads, latent, cellTables, progress, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new("calibration", 0.8));
        Calibrate(e, threads);
        progress?.Report(new("sincere vote", 0.9));
        FinalVote(e, seed, threads);
        e.Calibration = e.Calibration with { LargestMarginalError = MarginalError(e) };
        var summary = e.Summarize();
        e.Calibration = e.Calibration with
        {
            SincereShares = spec.Parties.Select(p => summary.NationalShares[p.Name]).ToArray(),
            LargestShareError = summary.LargestShareError,
        };
        progress?.Report(new("done", 1));
        return e;
    }

    // ---------------- geography ----------------

    private sealed class ConstituencyLayout
    {
        public int[] HouseholdSizes = [];
        public int[] NeighbourhoodHouseholds = [];
    }

    private static Latent BuildGeography(Electorate e, ulong seed, int threads)
    {
        var spec = e.Spec;
        int C = spec.Constituencies, R = spec.Regions, N = e.VoterCount;
        var geo = new RandomStream(seed, StreamGeography, 0);
        // Latent traits: regions, then constituencies around their region.
        var regionUrb = new double[R]; var regionDep = new double[R]; var regionAge = new double[R];
        for (int r = 0; r < R; r++)
        {
            regionUrb[r] = geo.Normal(0, spec.RegionalVariation);
            regionDep[r] = geo.Normal(0, spec.RegionalVariation);
            regionAge[r] = geo.Normal(0, spec.RegionalVariation);
        }
        e.ConstituencyRegion = new byte[C];
        e.ConstituencyUrbanity = new float[C];
        e.ConstituencyDeprivation = new float[C];
        var latent = new Latent();
        var constituencyAge = latent.ConstituencyAge = new float[C];
        int cols = (int)Math.Ceiling(Math.Sqrt(C)), rows = (C + cols - 1) / cols;
        var cellX = new double[C]; var cellY = new double[C];
        for (int k = 0; k < C; k++)
        {
            // Serpentine order on a grid: consecutive constituencies are adjacent, so regions
            // (consecutive runs) are contiguous on the map.
            int row = k / cols, col = row % 2 == 0 ? k % cols : cols - 1 - k % cols;
            cellX[k] = (double)col / cols; cellY[k] = (double)row / rows;
            int r = (int)((long)k * R / C);
            e.ConstituencyRegion[k] = (byte)r;
            var cr = new RandomStream(seed, StreamConstituency, (ulong)k);
            e.ConstituencyUrbanity[k] = (float)(regionUrb[r] + cr.Normal(0, spec.ConstituencyVariation));
            e.ConstituencyDeprivation[k] = (float)(regionDep[r] + cr.Normal(0, spec.ConstituencyVariation));
            constituencyAge[k] = (float)(regionAge[r] + cr.Normal(0, spec.ConstituencyVariation));
        }

        // Households and neighbourhoods per constituency (parallel over constituencies).
        var layouts = new ConstituencyLayout[C];
        var sizeTable = new AliasTable(spec.HouseholdSizes);
        DeterministicParallel.ForChunks(C, threads, (s, end) =>
        {
            for (long kk = s; kk < end; kk++)
            {
                int k = (int)kk;
                int quota = N / C + (k < N % C ? 1 : 0);
                var rng = new RandomStream(seed, StreamHousehold, (ulong)k);
                var sizes = new List<int>(quota / 2 + 1);
                int filled = 0;
                while (filled < quota)
                {
                    int size = sizeTable.Sample(ref rng) + 1;
                    if (filled + size > quota) size = quota - filled;
                    sizes.Add(size); filled += size;
                }
                var nbh = new List<int>();
                int remaining = sizes.Count;
                while (remaining > 0)
                {
                    int n = rng.NextInt(spec.MinNeighbourhoodHouseholds, spec.MaxNeighbourhoodHouseholds + 1);
                    if (n > remaining || remaining - n < spec.MinNeighbourhoodHouseholds / 2) n = remaining;
                    nbh.Add(n); remaining -= n;
                }
                layouts[k] = new ConstituencyLayout { HouseholdSizes = sizes.ToArray(), NeighbourhoodHouseholds = nbh.ToArray() };
            }
        }, chunk: 1);

        int H = layouts.Sum(l => l.HouseholdSizes.Length), M = layouts.Sum(l => l.NeighbourhoodHouseholds.Length);
        e.HouseholdCount = H; e.NeighbourhoodCount = M;
        e.Household = new int[N]; e.Neighbourhood = new int[N]; e.Constituency = new short[N];
        e.ConstituencyStart = new int[C + 1];
        e.NeighbourhoodConstituency = new short[M];
        e.NeighbourhoodX = new float[M]; e.NeighbourhoodY = new float[M];
        var nbUrbanity = latent.NeighbourhoodUrbanity = new float[M];
        var nbOpinion = latent.NeighbourhoodOpinion = new float[M * spec.IssueCount];
        int voter = 0, household = 0, neighbourhood = 0;
        for (int k = 0; k < C; k++)
        {
            e.ConstituencyStart[k] = voter;
            var lay = layouts[k];
            int h = 0;
            foreach (var nh in lay.NeighbourhoodHouseholds)
            {
                var nr = new RandomStream(seed, StreamNeighbourhood, (ulong)neighbourhood);
                e.NeighbourhoodConstituency[neighbourhood] = (short)k;
                e.NeighbourhoodX[neighbourhood] = (float)(cellX[k] + nr.NextDouble() / cols);
                e.NeighbourhoodY[neighbourhood] = (float)(cellY[k] + nr.NextDouble() / rows);
                nbUrbanity[neighbourhood] = (float)(e.ConstituencyUrbanity[k] + nr.Normal(0, spec.NeighbourhoodVariation));
                for (int q = 0; q < spec.IssueCount; q++)
                    nbOpinion[neighbourhood * spec.IssueCount + q] = (float)nr.Normal(0, spec.NeighbourhoodOpinionSd);
                for (int x = 0; x < nh; x++, h++, household++)
                {
                    int size = lay.HouseholdSizes[h];
                    for (int m = 0; m < size; m++, voter++)
                    {
                        e.Household[voter] = household;
                        e.Neighbourhood[voter] = neighbourhood;
                        e.Constituency[voter] = (short)k;
                    }
                }
                neighbourhood++;
            }
        }
        e.ConstituencyStart[C] = voter;

        // Constituency party offsets c_{j,k}: random local strength plus regional strongholds.
        var vm = new VoteModel(spec.Parties.Length, spec.IssueCount, C,
            spec.Parties.SelectMany(p => p.Positions).ToArray(), spec.PolicyWeight, spec.PartyIdWeight);
        for (int k = 0; k < C; k++)
        {
            var orng = new RandomStream(seed, StreamOffsets, (ulong)k);
            int r = e.ConstituencyRegion[k];
            for (int j = 0; j < spec.Parties.Length; j++)
            {
                var p = spec.Parties[j];
                bool stronghold = p.StrongholdRegions.Contains(r);
                double off = orng.Normal(0, spec.PartyOffsetSd);
                if (stronghold) off += p.StrongholdBonus;
                vm.ConstituencyOffset[k * spec.Parties.Length + j] = off;
                vm.Stands[k * spec.Parties.Length + j] = !p.RegionalOnly || stronghold;
            }
        }
        e.VoteModel = vm;
        e.TurnoutModel = new TurnoutModel(spec.Turnout, C);
        return latent;
    }

    /// <summary>Latent traits made by the geography stage and read by later stages of one Generate call.</summary>
    private sealed class Latent
    {
        public float[] ConstituencyAge = [];
        public float[] NeighbourhoodUrbanity = [];
        public float[] NeighbourhoodOpinion = [];
    }

    // ---------------- demographics (IPF) ----------------

    private static AliasTable[] FitDemographics(Electorate e, Latent latent)
    {
        var spec = e.Spec;
        int C = spec.Constituencies;
        const int A = ElectorateSpec.AgeBandCount, Ed = 3, Q = 5;
        var tables = new AliasTable[C];
        e.ConstituencyMarginalTargets = new double[C][][];
        var ageT = new double[A]; var eduT = new double[Ed]; var incT = new double[Q];
        var seedTable = new double[A * Ed * Q];
        // Association structure of the seed table (log odds-ratio slopes): younger cohorts more
        // educated, education strongly tied to income, income peaking in mid-life.
        for (int a = 0; a < A; a++) for (int d = 0; d < Ed; d++) for (int q = 0; q < Q; q++)
        {
            double ac = a - 2.5, dc = d - 1, qc = q - 2;
            seedTable[(a * Ed + d) * Q + q] = Math.Exp(-0.25 * ac * dc + 0.45 * dc * qc - 0.06 * ac * ac * (qc > 0 ? 1 : 0) + 0.05 * ac * qc);
        }
        for (int k = 0; k < C; k++)
        {
            double urb = e.ConstituencyUrbanity[k], dep = e.ConstituencyDeprivation[k], age = latent.ConstituencyAge[k];
            Tilt(spec.Marginals.AgeBands, ageT, a => 0.18 * age * (a - 2.5) - 0.08 * urb * (a - 2.5));
            Tilt(spec.Marginals.Education, eduT, d => (0.25 * urb - 0.30 * dep) * (d - 1));
            Tilt(spec.Marginals.Income, incT, q => (-0.30 * dep + 0.10 * urb) * (q - 2));
            var t = (double[])seedTable.Clone();
            Ipf.Fit(t, ageT, eduT, incT);
            tables[k] = new AliasTable(t);
            e.ConstituencyMarginalTargets[k] = [(double[])ageT.Clone(), (double[])eduT.Clone(), (double[])incT.Clone()];
        }
        return tables;
    }

    private static void Tilt(double[] national, double[] result, Func<int, double> logShift)
    {
        double s = 0;
        for (int i = 0; i < national.Length; i++) { result[i] = national[i] * Math.Exp(logShift(i)); s += result[i]; }
        for (int i = 0; i < national.Length; i++) result[i] /= s;
    }

    private static double MarginalError(Electorate e)
    {
        // Realised versus IPF-target marginals, aggregated per region (voter-weighted).
        var spec = e.Spec;
        int R = spec.Regions;
        double worst = 0;
        for (int r = 0; r < R; r++)
        {
            var target = new double[3][] { new double[6], new double[3], new double[5] };
            var real = new double[3][] { new double[6], new double[3], new double[5] };
            double n = 0;
            for (int k = 0; k < spec.Constituencies; k++)
            {
                if (e.ConstituencyRegion[k] != r) continue;
                int start = e.ConstituencyStart[k], end = e.ConstituencyStart[k + 1], nk = end - start;
                for (int d = 0; d < 3; d++) for (int i = 0; i < target[d].Length; i++) target[d][i] += e.ConstituencyMarginalTargets[k][d][i] * nk;
                for (int v = start; v < end; v++)
                {
                    real[0][AgeBand(e.Age[v])]++;
                    real[1][e.Education[v]]++;
                    real[2][e.IncomeQuintile[v] - 1]++;
                }
                n += nk;
            }
            if (n == 0) continue;
            for (int d = 0; d < 3; d++) for (int i = 0; i < target[d].Length; i++) worst = Math.Max(worst, Math.Abs(real[d][i] - target[d][i]) / n);
        }
        return worst;
    }

    /// <summary>The age band (0..5) of an age in years.</summary>
    public static int AgeBand(int age)
    {
        var lower = ElectorateSpec.AgeBandLower;
        for (int b = lower.Length - 1; b > 0; b--) if (age >= lower[b]) return b;
        return 0;
    }

    // ---------------- voters ----------------

    private static void GenerateVoters(Electorate e, ulong seed, int threads, Latent latent, AliasTable[] cells, IProgress<GenerationProgress>? progress, CancellationToken ct)
    {
        var spec = e.Spec;
        int N = e.VoterCount, K = spec.IssueCount, P = spec.Parties.Length, C = spec.Constituencies;
        e.Age = new byte[N]; e.Gender = new byte[N]; e.Education = new byte[N]; e.IncomeQuintile = new byte[N];
        e.Employment = new byte[N]; e.Urban = new byte[N]; e.Minority = new byte[N]; e.Health = new byte[N];
        e.BigFive = new Half[N * BigFiveCount]; e.IssuePosition = new Half[N * K]; e.IssueSalience = new Half[N * K];
        e.PartyId = new sbyte[N]; e.PartyIdStrength = new Half[N]; e.PastVote = new sbyte[N]; e.PastTurnout = new byte[N];
        e.Interest = new Half[N]; e.Persuadability = new Half[N]; e.MediaUse = new byte[N * PlatformCount]; e.TvShow = new byte[N];
        e.HomeProbability = new byte[N * 3]; e.AnswersPhone = new byte[N]; e.OpensEmail = new byte[N];
        e.ConsumerInterest = new byte[N * ConsumerCount]; e.DigitalFootprint = new Half[N];

        var nbUrb = latent.NeighbourhoodUrbanity; var nbOp = latent.NeighbourhoodOpinion;
        var vm = e.VoteModel;
        var alpha = Enumerable.Repeat(spec.SalienceConcentration, K).ToArray();
        var m = spec.Marginals;
        int done = 0;
        DeterministicParallel.ForChunks(C, threads, (s, end) =>
        {
            Span<double> b5 = stackalloc double[BigFiveCount];
            Span<double> sal = stackalloc double[K];
            Span<double> pos = stackalloc double[K];
            Span<double> hhShared = stackalloc double[K];
            Span<double> util = stackalloc double[P];
            for (long kk = s; kk < end; kk++)
            {
                int k = (int)kk;
                double dep = e.ConstituencyDeprivation[k];
                int headPid = -1, currentHousehold = -1;
                for (int i = e.ConstituencyStart[k]; i < e.ConstituencyStart[k + 1]; i++)
                {
                    int h = e.Household[i], n = e.Neighbourhood[i];
                    if (h != currentHousehold)
                    {
                        currentHousehold = h;
                        var hr = new RandomStream(seed, StreamHousehold + 100, (ulong)h);
                        for (int q = 0; q < K; q++) hhShared[q] = hr.Normal(0, 0.5);
                        headPid = int.MinValue; // the first member sets it
                    }
                    var r = new RandomStream(seed, StreamVoter, (ulong)i);
                    int cell = cells[k].Sample(ref r);
                    int a = cell / 15, ed = cell / 5 % 3, inc = cell % 5;
                    int age = ElectorateSpec.AgeBandLower[a] + r.NextInt(ElectorateSpec.AgeBandUpper[a] - ElectorateSpec.AgeBandLower[a]);
                    e.Age[i] = (byte)age; e.Education[i] = (byte)ed; e.IncomeQuintile[i] = (byte)(inc + 1);
                    double g = r.NextDouble();
                    e.Gender[i] = (byte)(g < m.Female ? 0 : g < m.Female + 0.005 ? 2 : 1);
                    double urbN = nbUrb[n];
                    bool urban = r.NextDouble() < Logistic(1.0 + 1.2 * urbN);
                    e.Urban[i] = (byte)(urban ? 1 : 0);
                    double ageC = (age - 45) / 10.0;
                    // Employment: retirement after 66, students among the young, unemployment with deprivation and low income.
                    Employment emp;
                    double u = r.NextDouble();
                    if (age >= 66) emp = u < 0.88 ? Employment.Retired : Employment.Employed;
                    else if (age < 25 && u < 0.40) emp = Employment.Student;
                    else if (r.NextDouble() < 0.05 * Math.Exp(0.4 * dep) * (inc == 0 ? 2.0 : 1.0)) emp = Employment.Unemployed;
                    else emp = r.NextDouble() < 0.86 ? Employment.Employed : Employment.Inactive;
                    e.Employment[i] = (byte)emp;
                    e.Minority[i] = (byte)(r.NextDouble() < Math.Min(1, m.Minority * (urban ? 1.25 : 0.45)) ? 1 : 0);
                    e.Health[i] = (byte)(r.NextDouble() < Math.Min(1, m.Health * (0.4 + 1.4 * (age - 18) / 77.0)) ? 1 : 0);

                    BigFive.Sample(ref r, b5);
                    for (int t = 0; t < BigFiveCount; t++) e.BigFive[i * BigFiveCount + t] = (Half)b5[t];

                    // Issue positions: demographic loadings + neighbourhood ("swing streets") + household + individual.
                    for (int q = 0; q < K; q++)
                    {
                        double load = (q % 4) switch
                        {
                            0 => 0.22 * (inc - 2) - 0.15 * dep + 0.08 * b5[1] - 0.15 * (emp == Employment.Unemployed ? 1 : 0),
                            1 => 0.14 * ageC - 0.30 * (ed - 1) - 0.20 * (urban ? 1 : 0) - 0.35 * e.Minority[i] - 0.20 * b5[0],
                            2 => -0.10 * ageC + 0.25 * (ed - 1) + 0.15 * (urban ? 1 : 0) + 0.18 * b5[0],
                            _ => 0.12 * ageC - 0.25 * (ed - 1) - 0.10 * (urban ? 1 : 0),
                        };
                        pos[q] = load + nbOp[n * K + q] + hhShared[q] + r.Normal(0, 0.75);
                        e.IssuePosition[i * K + q] = (Half)pos[q];
                    }
                    r.Dirichlet(alpha, sal);
                    for (int q = 0; q < K; q++) e.IssueSalience[i * K + q] = (Half)sal[q];

                    double interest = Logistic(-0.2 + 0.45 * (ed - 1) + 0.20 * ageC + r.Normal(0, 0.8));
                    e.Interest[i] = (Half)interest;
                    // Party identification: policy-based draw; household members share it with probability HouseholdPartisanship.
                    int pid;
                    bool identifies = r.NextDouble() < Math.Min(1, spec.PartyIdRate * (0.7 + 0.6 * interest));
                    if (headPid != int.MinValue && r.NextDouble() < spec.HouseholdPartisanship) pid = headPid;
                    else if (identifies)
                    {
                        PolicyUtilities(vm, pos, sal, k, util);
                        pid = VoteModel.ChooseWithGumbel(util, ref r);
                    }
                    else pid = -1;
                    if (headPid == int.MinValue) headPid = pid;
                    e.PartyId[i] = (sbyte)pid;
                    double strength = pid >= 0 ? r.Beta(2, 2) : 0;
                    e.PartyIdStrength[i] = (Half)strength;
                    e.Persuadability[i] = (Half)Logistic(0.2 - 1.6 * strength - 0.8 * interest + 0.25 * b5[3] + r.Normal(0, 0.6));
                    bool voted = r.NextDouble() < Logistic(0.3 + 0.25 * ageC + 0.3 * (ed - 1) + 1.6 * (interest - 0.5) + 0.6 * strength);
                    e.PastTurnout[i] = (byte)(voted ? 1 : 0);
                    if (!voted) e.PastVote[i] = -1;
                    else if (pid >= 0 && r.NextDouble() < 0.8) e.PastVote[i] = (sbyte)pid;
                    else
                    {
                        PolicyUtilities(vm, pos, sal, k, util);
                        e.PastVote[i] = (sbyte)VoteModel.ChooseWithGumbel(util, ref r);
                    }

                    for (int pf = 0; pf < PlatformCount; pf++)
                        e.MediaUse[i * PlatformCount + pf] = Prob255(Logistic(MediaBase[pf] + MediaAge[pf] * ageC + MediaEdu[pf] * (ed - 1) + r.Normal(0, 0.6)));
                    int show = 0; double bestShow = double.NegativeInfinity;
                    for (int sh = 0; sh < Shows; sh++)
                    {
                        double d0 = pos[0] - ShowEcon[sh], d1 = (K > 1 ? pos[1] : 0) - ShowCult[sh];
                        double su = -(d0 * d0 + d1 * d1) + r.Gumbel();
                        if (su > bestShow) { bestShow = su; show = sh; }
                    }
                    e.TvShow[i] = (byte)show;
                    (double mo, double af, double ev) = emp switch
                    {
                        Employment.Retired or Employment.Inactive => (0.75, 0.70, 0.85),
                        Employment.Unemployed => (0.65, 0.60, 0.80),
                        Employment.Student => (0.45, 0.35, 0.60),
                        _ => (0.20, 0.18, 0.72),
                    };
                    double jitter = 0.85 + 0.3 * r.NextDouble();
                    e.HomeProbability[i * 3] = Prob255(mo * jitter); e.HomeProbability[i * 3 + 1] = Prob255(af * jitter); e.HomeProbability[i * 3 + 2] = Prob255(ev * jitter);
                    e.AnswersPhone[i] = Prob255(Logistic(-0.6 + 0.35 * ageC + r.Normal(0, 0.5)));
                    e.OpensEmail[i] = Prob255(Logistic(-0.2 + 0.3 * (ed - 1) - 0.1 * ageC + r.Normal(0, 0.5)));
                    double env = K > 2 ? pos[2] : 0, cult = K > 1 ? pos[1] : 0;
                    e.ConsumerInterest[i * ConsumerCount] = Prob255(Logistic(-1.0 + 0.8 * env + 0.25 * (inc - 2) + r.Normal(0, 0.5)));
                    e.ConsumerInterest[i * ConsumerCount + 1] = Prob255(Logistic(-1.6 + 0.6 * (inc - 2) + r.Normal(0, 0.5)));
                    e.ConsumerInterest[i * ConsumerCount + 2] = Prob255(Logistic(-1.5 + 0.5 * cult + (urban ? 0 : 1.0) + r.Normal(0, 0.5)));
                    e.ConsumerInterest[i * ConsumerCount + 3] = Prob255(Logistic(-1.6 + (e.Gender[i] == 1 ? 0.6 : 0) - 0.2 * (ed - 1) + r.Normal(0, 0.5)));
                    e.DigitalFootprint[i] = (Half)Math.Exp(-0.25 * ageC + r.Normal(0, 0.6));
                }
                int d = Interlocked.Increment(ref done);
                if (progress is not null && (d % Math.Max(1, C / 50) == 0)) progress.Report(new("voters", 0.1 + 0.7 * d / C));
                ct.ThrowIfCancellationRequested();
            }
        }, chunk: 1);
    }

    private static void PolicyUtilities(VoteModel vm, ReadOnlySpan<double> pos, ReadOnlySpan<double> sal, int k, Span<double> util)
    {
        int P = vm.Parties, K = vm.Issues;
        for (int j = 0; j < P; j++)
        {
            if (!vm.Stands[k * P + j]) { util[j] = double.NegativeInfinity; continue; }
            double d = 0;
            for (int q = 0; q < K; q++) { double diff = pos[q] - vm.PartyPositions[j * K + q]; d += sal[q] * diff * diff; }
            util[j] = -vm.PolicyWeight * d + vm.ConstituencyOffset[k * P + j];
        }
    }

    private static byte Prob255(double p) => (byte)Math.Clamp((int)Math.Round(p * 255), 0, 255);

    private static double Logistic(double x) => 1.0 / (1.0 + Math.Exp(-x));

    // ---------------- calibration ----------------

    /// <summary>Voters used for calibration: every stride-th voter, at most this many.</summary>
    private const int CalibrationSample = 250_000;

    private static void Calibrate(Electorate e, int threads)
    {
        var spec = e.Spec;
        int N = e.VoterCount, P = spec.Parties.Length, C = spec.Constituencies;
        int stride = Math.Max(1, N / CalibrationSample);
        int S = (N + stride - 1) / stride;
        // Utilities without valence, once; valences are then a per-party additive shift.
        var baseU = new double[S * P];
        var idx = new int[S];
        var vm = e.VoteModel;
        var tm = e.TurnoutModel;
        DeterministicParallel.ForChunks(S, threads, (s, end) =>
        {
            Span<double> u = stackalloc double[P];
            for (long t = s; t < end; t++)
            {
                int i = (int)(t * stride);
                idx[t] = i;
                vm.Utilities(e, i, u); // valences are still 0
                for (int j = 0; j < P; j++) baseU[t * P + j] = u[j];
            }
        }, chunk: 4096);
        // Exponentiate once: valences only rescale each party's column.
        for (int t = 0; t < S; t++)
        {
            double max = double.NegativeInfinity;
            for (int j = 0; j < P; j++) max = Math.Max(max, baseU[t * P + j]);
            for (int j = 0; j < P; j++) baseU[t * P + j] = double.IsNegativeInfinity(baseU[t * P + j]) ? 0 : Math.Exp(baseU[t * P + j] - max);
        }
        var weight = new double[S];
        Array.Fill(weight, 1.0);
        var prob = new double[S * P];
        int iterations = 0;
        var target = spec.Parties.Select(p => p.TargetShare).ToArray();
        var shares = new double[P];
        var turnoutIndex = new double[S];
        for (int round = 0; round < 3; round++)
        {
            // 1. valences: fixed point v_j += log(target_j / share_j) (Berry 1994 contraction).
            iterations += FitValences(baseU, vm.Valence, weight, prob, shares, target, S, P);
            // Normalise: the first party's valence is 0 (only differences matter).
            double v0 = vm.Valence[0];
            for (int j = 0; j < P; j++) vm.Valence[j] -= v0;
            ExpectedShares(baseU, vm.Valence, weight, prob, shares, S, P);
            // 2. closeness per constituency from expected shares.
            var cv = new double[C * P]; var cw = new double[C];
            for (int t = 0; t < S; t++)
            {
                int k = e.Constituency[idx[t]];
                cw[k] += weight[t];
                for (int j = 0; j < P; j++) cv[k * P + j] += weight[t] * prob[t * P + j];
            }
            for (int k = 0; k < C; k++)
            {
                double first = 0, second = 0;
                for (int j = 0; j < P; j++)
                {
                    double sh = cw[k] > 0 ? cv[k * P + j] / cw[k] : 0;
                    if (sh > first) { second = first; first = sh; } else if (sh > second) second = sh;
                }
                tm.Closeness[k] = 1 - (first - second);
            }
            // 3. turnout intercept by bisection on the mean propensity.
            for (int t = 0; t < S; t++) turnoutIndex[t] = tm.Index(e, idx[t]);
            double lo = -15, hi = 15;
            for (int it = 0; it < 45; it++)
            {
                double mid = 0.5 * (lo + hi), mean = 0;
                for (int t = 0; t < S; t++) mean += Logistic(mid + turnoutIndex[t]);
                mean /= S;
                if (mean < spec.TurnoutTarget) lo = mid; else hi = mid;
            }
            tm.Intercept = 0.5 * (lo + hi);
            for (int t = 0; t < S; t++) weight[t] = Logistic(tm.Intercept + turnoutIndex[t]);
        }
        // Final valence pass with turnout weights.
        iterations += FitValences(baseU, vm.Valence, weight, prob, shares, target, S, P);
        ExpectedShares(baseU, vm.Valence, weight, prob, shares, S, P);
        e.Calibration = new CalibrationReport(target, (double[])shares.Clone(), [], spec.TurnoutTarget,
            weight.Average(), 0, 0, iterations);
    }

    /// <summary>Valences by the fixed point v_j ← v_j + log(target_j / share_j) (Berry 1994); returns the iterations used.</summary>
    private static int FitValences(double[] expU, double[] valence, double[] weight, double[] prob, double[] shares, double[] target, int S, int P)
    {
        for (int it = 1; it <= 200; it++)
        {
            ExpectedShares(expU, valence, weight, prob, shares, S, P);
            double worst = 0;
            for (int j = 0; j < P; j++)
            {
                double step = Math.Log(target[j] / Math.Max(shares[j], 1e-300));
                valence[j] += step;
                worst = Math.Max(worst, Math.Abs(step));
            }
            if (worst < 1e-7) return it;
        }
        return 200;
    }

    // Expected shares for valences v: with e_tj = exp(baseU_tj − max_j baseU_tj) precomputed,
    // p_tj = e_tj·a_j / Σ_k e_tk·a_k where a_j = exp(v_j − max v): no exponentials per voter.
    private static void ExpectedShares(double[] expU, double[] valence, double[] weight, double[] prob, double[] shares, int S, int P)
    {
        Array.Clear(shares);
        double total = 0, vmax = valence.Max();
        Span<double> a = stackalloc double[P];
        for (int j = 0; j < P; j++) a[j] = Math.Exp(valence[j] - vmax);
        for (int t = 0; t < S; t++)
        {
            double sum = 0;
            int row = t * P;
            for (int j = 0; j < P; j++) { double x = expU[row + j] * a[j]; prob[row + j] = x; sum += x; }
            double inv = weight[t] / sum, invp = 1.0 / sum;
            for (int j = 0; j < P; j++) { shares[j] += prob[row + j] * inv; prob[row + j] *= invp; }
            total += weight[t];
        }
        for (int j = 0; j < P; j++) shares[j] /= total;
    }

    private static void FinalVote(Electorate e, ulong seed, int threads)
    {
        int N = e.VoterCount, P = e.PartyCount;
        e.SincereVote = new sbyte[N];
        e.TurnoutPropensity = new Half[N];
        var vm = e.VoteModel; var tm = e.TurnoutModel;
        DeterministicParallel.ForChunks(N, threads, (s, end) =>
        {
            Span<double> u = stackalloc double[P];
            for (long ii = s; ii < end; ii++)
            {
                int i = (int)ii;
                var r = new RandomStream(seed, StreamVote, (ulong)i);
                vm.Utilities(e, i, u);
                e.SincereVote[i] = (sbyte)VoteModel.ChooseWithGumbel(u, ref r);
                e.TurnoutPropensity[i] = (Half)tm.Probability(e, i);
            }
        });
    }
}
