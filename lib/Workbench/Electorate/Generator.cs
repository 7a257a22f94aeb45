using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
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
public static partial class Generator
{
    // Stream ids: one per stage, so adding draws to one stage never shifts another's numbers.
    private const uint StreamGeography = StreamIds.Geography, StreamConstituency = StreamIds.Constituency, StreamNeighbourhood = StreamIds.Neighbourhood,
        StreamHousehold = StreamIds.Household, StreamVoter = StreamIds.Voter, StreamVote = StreamIds.Vote, StreamOffsets = StreamIds.Offsets;

    internal const int BigFiveCount = 5, PlatformCount = VoterModelSpec.PlatformCount, ConsumerCount = 4, Shows = VoterModelSpec.ShowCount;

    /// <summary>Generates <paramref name="voters"/> voters from <paramref name="spec"/> with a seed; identical output for any <paramref name="threads"/>.
    /// The per-voter model is the spec's <see cref="ElectorateSpec.VoterModel"/>, else <see cref="VoterModelSpec.Default"/>.</summary>
    public static Electorate Generate(ElectorateSpec spec, int voters, int? seed, int threads = 1, IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Generate(spec, voters, Workbench.Random.Seeds.Resolve(seed), threads, progress, cancellationToken);

    internal static Electorate Generate(ElectorateSpec spec, int voters, ulong seed, int threads = 1, IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Generate(spec, voters, seed, spec?.VoterModel ?? VoterModelSpec.Default, threads, progress, cancellationToken);

    /// <summary>
    /// Generates <paramref name="voters"/> voters from <paramref name="spec"/> with a seed and the per-voter model
    /// <paramref name="voterModel"/> (for sensitivity analyses of its coefficients); identical output for any
    /// <paramref name="threads"/>. Throws a <see cref="SpecValidationException"/> naming every invalid coefficient.
    /// </summary>
    public static Electorate Generate(ElectorateSpec spec, int voters, int? seed, VoterModelSpec voterModel, int threads = 1, IProgress<GenerationProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        Generate(spec, voters, Workbench.Random.Seeds.Resolve(seed), voterModel, threads, progress, cancellationToken);

    internal static Electorate Generate(ElectorateSpec spec, int voters, ulong seed, VoterModelSpec voterModel, int threads = 1, IProgress<GenerationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(voterModel);
        spec.EnsureValid();
        voterModel.EnsureValid();
        if (voters < spec.Constituencies * 10)
            throw new ArgumentOutOfRangeException(nameof(voters), voters, $"voters must be at least 10 per constituency ({spec.Constituencies * 10} for '{spec.Name}').");
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "threads must be ≥ 1.");

        var e = new Electorate(spec, voters, seed);
        progress?.Report(new("geography", 0));
        var latent = BuildGeography(e, seed, threads);
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new("demographics", 0.05));
        var cellTables = FitDemographics(e, latent, voterModel);
        progress?.Report(new("voters", 0.1));
        GenerateVoters(e, seed, threads, latent, cellTables, voterModel, VoterBlock, progress, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new("calibration", 0.8));
        Calibrate(e, threads);
        progress?.Report(new("sincere vote", 0.9));
        FinalVote(e, seed, threads);
        e.Calibration = e.Calibration with { LargestMarginalError = MarginalError(e, threads) };
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

    /// <summary>The geography stage: constituencies on the map with their latent traits, households and neighbourhoods, the voters' places, and the vote model's constituency offsets.</summary>
    private static Latent BuildGeography(Electorate e, ulong seed, int threads)
    {
        var latent = new Latent();
        var grid = PlaceConstituencies(e, seed, latent);
        var layouts = LayOutConstituencies(e, seed, threads);
        FillGeography(e, seed, threads, layouts, grid, latent);
        e.VoteModel = ConstituencyOffsets(e, seed);
        e.TurnoutModel = new TurnoutModel(e.Spec.Turnout, e.Spec.Constituencies);
        return latent;
    }

    /// <summary>Where each constituency sits on the map: its grid cell (serpentine order) and the grid's columns and rows.</summary>
    private sealed record MapGrid(double[] CellX, double[] CellY, int Cols, int Rows);

    /// <summary>Draws the latent traits of regions, then of constituencies around their region, and places each constituency on the map grid.</summary>
    private static MapGrid PlaceConstituencies(Electorate e, ulong seed, Latent latent)
    {
        var spec = e.Spec;
        int C = spec.Constituencies, R = spec.Regions;
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
        return new MapGrid(cellX, cellY, cols, rows);
    }

    /// <summary>Draws each constituency's household sizes and neighbourhood sizes (in households) to fill its voter quota (parallel over constituencies).</summary>
    private static ConstituencyLayout[] LayOutConstituencies(Electorate e, ulong seed, int threads)
    {
        var spec = e.Spec;
        int C = spec.Constituencies, N = e.VoterCount;
        // Households and neighbourhoods per constituency (parallel over constituencies).
        var layouts = new ConstituencyLayout[C];
        var sizeTable = new AliasTable([.. spec.HouseholdSizes]);
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
        return layouts;
    }

    /// <summary>Allocates the geography columns and fills each constituency's range: neighbourhoods (position, urbanity, local opinion), households and voters.</summary>
    private static void FillGeography(Electorate e, ulong seed, int threads, ConstituencyLayout[] layouts, MapGrid grid, Latent latent)
    {
        var spec = e.Spec;
        int C = spec.Constituencies, N = e.VoterCount;
        var (cellX, cellY, cols, rows) = grid;
        int H = layouts.Sum(l => l.HouseholdSizes.Length), M = layouts.Sum(l => l.NeighbourhoodHouseholds.Length);
        e.HouseholdCount = H; e.NeighbourhoodCount = M;
        e.Household = Columns.Allocate<int>(N); e.Neighbourhood = Columns.Allocate<int>(N);
        e.Constituency = Columns.Allocate<short>(N);
        e.ConstituencyStart = new int[C + 1];
        e.NeighbourhoodConstituency = new short[M];
        e.NeighbourhoodX = new float[M]; e.NeighbourhoodY = new float[M];
        var nbUrbanity = latent.NeighbourhoodUrbanity = new float[M];
        var nbOpinion = latent.NeighbourhoodOpinion = new float[M * spec.IssueCount];
        // First voter, household and neighbourhood of each constituency; then every constituency fills its own range.
        var firstHousehold = new int[C]; var firstNeighbourhood = new int[C];
        for (int k = 0, v = 0, hh = 0, nb = 0; k < C; k++)
        {
            e.ConstituencyStart[k] = v; firstHousehold[k] = hh; firstNeighbourhood[k] = nb;
            v += N / C + (k < N % C ? 1 : 0); hh += layouts[k].HouseholdSizes.Length; nb += layouts[k].NeighbourhoodHouseholds.Length;
        }
        e.ConstituencyStart[C] = N;
        DeterministicParallel.ForChunks(C, threads, (s, end) =>
        {
            for (long kk = s; kk < end; kk++)
            {
                int k = (int)kk;
                var lay = layouts[k];
                int voter = e.ConstituencyStart[k], household = firstHousehold[k], neighbourhood = firstNeighbourhood[k], h = 0;
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
                        e.Household.AsSpan(voter, size).Fill(household);
                        e.Neighbourhood.AsSpan(voter, size).Fill(neighbourhood);
                        voter += size;
                    }
                    neighbourhood++;
                }
                e.Constituency.AsSpan(e.ConstituencyStart[k], voter - e.ConstituencyStart[k]).Fill((short)k);
                if (voter != e.ConstituencyStart[k + 1]) throw new InvalidOperationException($"constituency {k}: households hold {voter - e.ConstituencyStart[k]} voters, not its quota.");
            }
        }, chunk: 1);
    }

    /// <summary>The vote model with its constituency party offsets c_{j,k}: random local strength plus regional strongholds.</summary>
    private static VoteModel ConstituencyOffsets(Electorate e, ulong seed)
    {
        var spec = e.Spec;
        int C = spec.Constituencies;
        // Constituency party offsets c_{j,k}: random local strength plus regional strongholds.
        var vm = new VoteModel(spec.Parties.Count, spec.IssueCount, C,
            spec.Parties.SelectMany(p => p.Positions).ToArray(), spec.PolicyWeight, spec.PartyIdWeight);
        for (int k = 0; k < C; k++)
        {
            var orng = new RandomStream(seed, StreamOffsets, (ulong)k);
            int r = e.ConstituencyRegion[k];
            for (int j = 0; j < spec.Parties.Count; j++)
            {
                var p = spec.Parties[j];
                bool stronghold = p.StrongholdRegions.Contains(r);
                double off = orng.Normal(0, spec.PartyOffsetSd);
                if (stronghold) off += p.StrongholdBonus;
                vm.ConstituencyOffsetArray[k * spec.Parties.Count + j] = off;
                vm.StandsArray[k * spec.Parties.Count + j] = !p.RegionalOnly || stronghold;
            }
        }
        return vm;
    }

    /// <summary>Latent traits made by the geography stage and read by later stages of one Generate call.</summary>
    private sealed class Latent
    {
        public float[] ConstituencyAge = [];
        public float[] NeighbourhoodUrbanity = [];
        public float[] NeighbourhoodOpinion = [];
    }

    // ---------------- demographics (IPF) ----------------

    /// <summary>
    /// The demographic cell table of every constituency: the seed table (the association structure of
    /// <paramref name="model"/>'s Seed… coefficients) fitted by IPF to the national marginals tilted by the
    /// constituency's latent age, urbanity and deprivation (its …Tilt… coefficients), as alias tables.
    /// </summary>
    private static AliasTable[] FitDemographics(Electorate e, Latent latent, VoterModelSpec model)
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
        double ageEducation = model.SeedAgeEducation, educationIncome = model.SeedEducationIncome,
            ageSquaredHighIncome = model.SeedAgeSquaredHighIncome, ageIncome = model.SeedAgeIncome;
        for (int a = 0; a < A; a++) for (int d = 0; d < Ed; d++) for (int q = 0; q < Q; q++)
        {
            double ac = a - 2.5, dc = d - 1, qc = q - 2;
            seedTable[(a * Ed + d) * Q + q] = Math.Exp(ageEducation * ac * dc + educationIncome * dc * qc + ageSquaredHighIncome * ac * ac * (qc > 0 ? 1 : 0) + ageIncome * ac * qc);
        }
        double ageLatent = model.AgeTiltLatentAge, ageUrbanity = model.AgeTiltUrbanity, educationUrbanity = model.EducationTiltUrbanity,
            educationDeprivation = model.EducationTiltDeprivation, incomeDeprivation = model.IncomeTiltDeprivation, incomeUrbanity = model.IncomeTiltUrbanity;
        for (int k = 0; k < C; k++)
        {
            double urb = e.ConstituencyUrbanity[k], dep = e.ConstituencyDeprivation[k], age = latent.ConstituencyAge[k];
            Tilt(spec.Marginals.AgeBands, ageT, a => ageLatent * age * (a - 2.5) + ageUrbanity * urb * (a - 2.5));
            Tilt(spec.Marginals.Education, eduT, d => (educationUrbanity * urb + educationDeprivation * dep) * (d - 1));
            Tilt(spec.Marginals.Income, incT, q => (incomeDeprivation * dep + incomeUrbanity * urb) * (q - 2));
            var t = (double[])seedTable.Clone();
            Ipf.Fit(t, ageT, eduT, incT);
            tables[k] = new AliasTable(t);
            e.ConstituencyMarginalTargets[k] = [(double[])ageT.Clone(), (double[])eduT.Clone(), (double[])incT.Clone()];
        }
        return tables;
    }

    private static void Tilt(IReadOnlyList<double> national, double[] result, Func<int, double> logShift)
    {
        double s = 0;
        for (int i = 0; i < national.Count; i++) { result[i] = national[i] * Math.Exp(logShift(i)); s += result[i]; }
        for (int i = 0; i < national.Count; i++) result[i] /= s;
    }

    private static double MarginalError(Electorate e, int threads)
    {
        // Realised versus IPF-target marginals, aggregated per region (voter-weighted). Counts per constituency in parallel.
        var spec = e.Spec;
        int R = spec.Regions, C = spec.Constituencies;
        const int Cells = 6 + 3 + 5;
        var counts = new int[C * Cells];
        var bandOf = new byte[96];
        for (int age = 0; age < bandOf.Length; age++) bandOf[age] = (byte)ElectorateSpec.AgeBandOf(age);
        DeterministicParallel.ForChunks(C, threads, (s, end) =>
        {
            for (long kk = s; kk < end; kk++)
            {
                int k = (int)kk, o = k * Cells;
                for (int v = e.ConstituencyStart[k]; v < e.ConstituencyStart[k + 1]; v++)
                {
                    counts[o + bandOf[e.Age[v]]]++;
                    counts[o + 6 + e.Education[v]]++;
                    counts[o + 9 + e.IncomeQuintile[v] - 1]++;
                }
            }
        }, chunk: 8);
        double worst = 0;
        for (int r = 0; r < R; r++)
        {
            var target = new double[3][] { new double[6], new double[3], new double[5] };
            var real = new double[3][] { new double[6], new double[3], new double[5] };
            double n = 0;
            for (int k = 0; k < C; k++)
            {
                if (e.ConstituencyRegion[k] != r) continue;
                int nk = e.ConstituencyStart[k + 1] - e.ConstituencyStart[k];
                for (int d = 0, o = 0; d < 3; d++)
                    for (int i = 0; i < target[d].Length; i++, o++)
                    {
                        target[d][i] += e.ConstituencyMarginalTargets[k][d][i] * nk;
                        real[d][i] += counts[k * Cells + o];
                    }
                n += nk;
            }
            if (n == 0) continue;
            for (int d = 0; d < 3; d++) for (int i = 0; i < target[d].Length; i++) worst = Math.Max(worst, Math.Abs(real[d][i] - target[d][i]) / n);
        }
        return worst;
    }

    // ---------------- calibration ----------------

    /// <summary>Voters used for calibration: every stride-th voter, at most this many.</summary>
    private const int CalibrationSample = 250_000;

    private static void Calibrate(Electorate e, int threads)
    {
        var spec = e.Spec;
        int N = e.VoterCount, P = spec.Parties.Count, C = spec.Constituencies;
        int stride = Math.Max(1, N / CalibrationSample);
        int S = (N + stride - 1) / stride;
        // Utilities without valence, once; valences are then a per-party additive shift.
        var baseU = new double[S * P + 8]; // 8 spare: ExpectedShares reads rows eight values at a time
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
        DeterministicParallel.ForChunks(S, threads, (s, end) =>
        {
            for (long t = s; t < end; t++)
            {
                double max = double.NegativeInfinity;
                for (int j = 0; j < P; j++) max = Math.Max(max, baseU[t * P + j]);
                for (int j = 0; j < P; j++) baseU[t * P + j] = double.IsNegativeInfinity(baseU[t * P + j]) ? 0 : Math.Exp(baseU[t * P + j] - max);
            }
        }, chunk: 16_384);
        var weight = new double[S];
        Array.Fill(weight, 1.0);
        var prob = new double[S * P + 8]; // 8 spare: ExpectedShares reads rows eight values at a time
        int iterations = 0;
        var target = spec.Parties.Select(p => p.TargetShare).ToArray();
        var shares = new double[P];
        var turnoutIndex = new double[S];
        for (int round = 0; round < 3; round++)
        {
            // 1. valences: Newton steps on log share − log target (FitValences).
            iterations += FitValences(baseU, vm.ValenceArray, weight, prob, shares, target, S, P, threads);
            // Normalise: the first party's valence is 0 (only differences matter).
            double v0 = vm.ValenceArray[0];
            for (int j = 0; j < P; j++) vm.ValenceArray[j] -= v0;
            ExpectedShares(baseU, vm.ValenceArray, weight, prob, shares, S, P, threads);
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
                tm.ClosenessArray[k] = 1 - (first - second);
            }
            // 3. turnout intercept: the root of mean σ(α + index) = target (increasing in α), by safeguarded Newton steps.
            DeterministicParallel.ForChunks(S, threads, (s, end) => { for (long t = s; t < end; t++) turnoutIndex[t] = tm.Index(e, idx[t]); }, chunk: 16_384);
            tm.Intercept = TurnoutIntercept(turnoutIndex, spec.TurnoutTarget, threads);
            for (int t = 0; t < S; t++) weight[t] = TurnoutModel.Logistic(tm.Intercept + turnoutIndex[t]);
        }
        // Final valence pass with turnout weights.
        iterations += FitValences(baseU, vm.ValenceArray, weight, prob, shares, target, S, P, threads);
        ExpectedShares(baseU, vm.ValenceArray, weight, prob, shares, S, P, threads);
        e.Calibration = new CalibrationReport(target, (double[])shares.Clone(), [], spec.TurnoutTarget,
            weight.Average(), 0, 0, iterations);
    }

    /// <summary>α with mean σ(α + x_t) = target: Newton steps kept inside a shrinking bisection bracket [−15, 15].</summary>
    private static double TurnoutIntercept(double[] x, double target, int threads)
    {
        double lo = -15, hi = 15, a = 0;
        for (int it = 0; it < 100; it++)
        {
            (double mean, double slope) = DeterministicParallel.MapReduce(x.Length, threads, (s, end) =>
            {
                double m = 0, d = 0;
                for (long t = s; t < end; t++) { double p = TurnoutModel.Logistic(a + x[t]); m += p; d += p * (1 - p); }
                return (m, d);
            }, (0.0, 0.0), (acc, part) => (acc.Item1 + part.m, acc.Item2 + part.d), chunk: 32_768);
            double f = mean / x.Length - target;
            if (Math.Abs(f) < 1e-12) break;
            if (f < 0) lo = a; else hi = a;
            double next = a - f / (slope / x.Length);
            a = next > lo && next < hi ? next : 0.5 * (lo + hi);
            if (hi - lo < 1e-12) break;
        }
        return a;
    }

    /// <summary>
    /// Valences such that the expected shares equal the targets, by Newton steps on F_j(v) = log s_j(v) − log t_j
    /// (j ≥ 1; v_0 is held, as only differences matter), with ∂ log s_j / ∂ v_k = (Σ_t w_t p_tj (δ_jk − p_tk)) / Σ_t w_t p_tj.
    /// A step that does not reduce max_j |F_j| (or a singular Jacobian) is replaced by the fixed-point step
    /// v_j ← v_j + log(t_j / s_j) of Berry (1994), a contraction. Returns the share evaluations used.
    /// </summary>
    private static int FitValences(double[] expU, double[] valence, double[] weight, double[] prob, double[] shares, double[] target, int S, int P, int threads)
    {
        var moment = new double[P * P];
        var jac = new double[(P - 1) * (P - 1)];
        var rhs = new double[P - 1];
        var gap = new double[P]; // log(target_j / share_j): the fixed-point step, and −F_j
        double lastWorst = double.PositiveInfinity;
        var lastValence = (double[])valence.Clone();
        double Gaps()
        {
            ExpectedShares(expU, valence, weight, prob, shares, S, P, threads, moment);
            double worst = 0;
            for (int j = 0; j < P; j++) { gap[j] = Math.Log(target[j] / Math.Max(shares[j], 1e-300)); worst = Math.Max(worst, Math.Abs(gap[j])); }
            return worst;
        }
        for (int it = 1; it <= 200; it++)
        {
            double worst = Gaps();
            if (worst < 1e-7) return it;
            if (worst > lastWorst)
            {
                // The Newton step overshot: go back and take the fixed-point step from there instead.
                Array.Copy(lastValence, valence, P);
                Gaps();
                it++;
                for (int j = 0; j < P; j++) valence[j] += gap[j];
                lastWorst = double.PositiveInfinity;
                continue;
            }
            lastWorst = worst;
            Array.Copy(valence, lastValence, P);
            // moment[j, k] = Σ w p_j p_k / Σ w, shares[j] = Σ w p_j / Σ w.
            for (int j = 1; j < P; j++)
            {
                rhs[j - 1] = gap[j];
                for (int k = 1; k < P; k++)
                    jac[(j - 1) * (P - 1) + k - 1] = ((j == k ? shares[j] : 0) - moment[j * P + k]) / Math.Max(shares[j], 1e-300);
            }
            if (SolveInPlace(jac, rhs, P - 1))
                for (int j = 1; j < P; j++) valence[j] += rhs[j - 1];
            else
                for (int j = 0; j < P; j++) valence[j] += gap[j];
        }
        return 200;
    }

    /// <summary>Solves a·x = b (n × n, row-major) by Gaussian elimination with partial pivoting; x replaces b. False if singular.</summary>
    private static bool SolveInPlace(double[] a, double[] b, int n)
    {
        for (int c = 0; c < n; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < n; r++) if (Math.Abs(a[r * n + c]) > Math.Abs(a[pivot * n + c])) pivot = r;
            if (!(Math.Abs(a[pivot * n + c]) > 1e-14)) return false;
            if (pivot != c)
            {
                for (int k = 0; k < n; k++) (a[c * n + k], a[pivot * n + k]) = (a[pivot * n + k], a[c * n + k]);
                (b[c], b[pivot]) = (b[pivot], b[c]);
            }
            for (int r = c + 1; r < n; r++)
            {
                double f = a[r * n + c] / a[c * n + c];
                if (f == 0) continue;
                for (int k = c; k < n; k++) a[r * n + k] -= f * a[c * n + k];
                b[r] -= f * b[c];
            }
        }
        for (int r = n - 1; r >= 0; r--)
        {
            double sum = b[r];
            for (int k = r + 1; k < n; k++) sum -= a[r * n + k] * b[k];
            b[r] = sum / a[r * n + r];
        }
        return true;
    }

    // Expected shares for valences v: with e_tj = exp(baseU_tj − max_j baseU_tj) precomputed,
    // p_tj = e_tj·a_j / Σ_k e_tk·a_k where a_j = exp(v_j − max v): no exponentials per voter.
    // With moment given, also Σ_t w_t p_tj p_tk / Σ_t w_t (the Jacobian of the shares).
    private static void ExpectedShares(double[] expU, double[] valence, double[] weight, double[] prob, double[] shares, int S, int P, int threads = 1,
        double[]? moment = null)
    {
        double vmax = valence.Max();
        var a = new double[P];
        for (int j = 0; j < P; j++) a[j] = Math.Exp(valence[j] - vmax);
        bool second = moment != null;
        int width = P + 1 + (second ? P * P : 0);
        // Fixed chunks, partial sums added in chunk order: the same result for any thread count.
        int Q = (P + 7) / 8; // vectors of eight per row of the second moment
        var partial = DeterministicParallel.MapReduce(S, threads, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, end) =>
        {
            if (P <= 8) return SharesChunk(expU, a, weight, prob, P, second, width, s, end);
            var acc = new double[width];
            // Row j of the second moment as Q vectors: element k accumulates w p_j p_k (entries k < j, and k ≥ P, which
            // read the next row, are not used). Each element sees the same additions in the same order as a scalar sum.
            var m = second ? new Vector512<double>[P * Q] : [];
            for (long t = s; t < end; t++)
            {
                double sum = 0;
                long row = t * P;
                for (int j = 0; j < P; j++) { double x = expU[row + j] * a[j]; prob[row + j] = x; sum += x; }
                double invp = 1.0 / sum, w = weight[t];
                for (int j = 0; j < P; j++) { double pj = prob[row + j] * invp; prob[row + j] = pj; acc[j] += w * pj; }
                acc[P] += w;
                if (second)
                    for (int j = 0; j < P; j++)
                    {
                        var wpj = Vector512.Create(w * prob[row + j]);
                        for (int c = 0; c < Q; c++) m[j * Q + c] += wpj * Vector512.LoadUnsafe(ref prob[row + 8 * c]);
                    }
            }
            if (second)
                for (int j = 0; j < P; j++)
                    for (int k = j; k < P; k++) acc[P + 1 + j * P + k] = m[j * Q + k / 8].GetElement(k % 8);
            return acc;
        }, new double[width], (acc, part) => { for (int j = 0; j < width; j++) acc[j] += part[j]; return acc; }, chunk: 32_768);
        for (int j = 0; j < P; j++) shares[j] = partial[j] / partial[P];
        if (second)
            for (int j = 0; j < P; j++)
                for (int k = j; k < P; k++) moment![j * P + k] = moment[k * P + j] = partial[P + 1 + j * P + k] / partial[P];
    }

    /// <summary>
    /// One chunk of <see cref="ExpectedShares"/> for up to eight parties, a voter's row in one vector: the same
    /// products and sums, each taken in the same order as the general loop (the sum over parties in party order), so
    /// the same bits; the accumulators stay in registers. Rows of <paramref name="expU"/> and <paramref name="prob"/>
    /// are read eight values at a time (both have eight spare values at the end); a row is written eight at a time
    /// only where that stays inside the chunk.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[] SharesChunk(double[] expU, double[] valenceFactor, double[] weight, double[] prob, int P, bool second, int width, long s, long end)
    {
        Span<double> padded = stackalloc double[8];
        valenceFactor.AsSpan(0, P).CopyTo(padded);
        var a = Vector512.Create<double>(padded); // parties ≥ P: 0, so their lanes stay finite
        Vector512<double> shares = default, m0 = default, m1 = default, m2 = default, m3 = default, m4 = default, m5 = default, m6 = default, m7 = default;
        double total = 0;
        long last = end * P;
        for (long t = s; t < end; t++)
        {
            long row = t * P;
            var x = Vector512.LoadUnsafe(ref expU[row]) * a;
            double sum = 0;
            for (int j = 0; j < P; j++) sum += x.GetElement(j);
            double invp = 1.0 / sum, w = weight[t];
            var p = x * Vector512.Create(invp);
            if (row + 8 <= last) p.StoreUnsafe(ref prob[row]);
            else for (int j = 0; j < P; j++) prob[row + j] = p.GetElement(j);
            shares += Vector512.Create(w) * p;
            total += w;
            if (!second) continue;
            // Row j of the second moment: w p_j p_k (a zero w p_j adds zeros, as the general loop's skip).
            m0 += Vector512.Create(w * p.GetElement(0)) * p;
            if (P > 1) m1 += Vector512.Create(w * p.GetElement(1)) * p;
            if (P > 2) m2 += Vector512.Create(w * p.GetElement(2)) * p;
            if (P > 3) m3 += Vector512.Create(w * p.GetElement(3)) * p;
            if (P > 4) m4 += Vector512.Create(w * p.GetElement(4)) * p;
            if (P > 5) m5 += Vector512.Create(w * p.GetElement(5)) * p;
            if (P > 6) m6 += Vector512.Create(w * p.GetElement(6)) * p;
            if (P > 7) m7 += Vector512.Create(w * p.GetElement(7)) * p;
        }
        var acc = new double[width];
        for (int j = 0; j < P; j++) acc[j] = shares.GetElement(j);
        acc[P] = total;
        if (second)
        {
            ReadOnlySpan<Vector512<double>> m = [m0, m1, m2, m3, m4, m5, m6, m7];
            for (int j = 0; j < P; j++)
                for (int k = j; k < P; k++) acc[P + 1 + j * P + k] = m[j].GetElement(k);
        }
        return acc;
    }

    /// <summary>
    /// The sincere vote (a draw from each voter's multinomial logit, by inversion with one uniform from the voter's
    /// stream (seed, StreamVote, i)) and the turnout propensity, a block of voters at a time, in single precision.
    /// </summary>
    private static void FinalVote(Electorate e, ulong seed, int threads)
    {
        int N = e.VoterCount, P = e.PartyCount, K = e.Spec.IssueCount, C = e.ConstituencyCount;
        e.SincereVote = Columns.Allocate<sbyte>(N);
        e.TurnoutPropensity = Columns.Allocate<Half>(N);
        var vm = e.VoteModel; var tm = e.TurnoutModel;
        var positions = Array.ConvertAll(vm.PartyPositionsArray, x => (float)x);
        float w = (float)vm.PolicyWeight, beta = (float)vm.PartyIdWeight;
        var ts = tm.Spec;
        float tAge = (float)ts.Age, tEdu = (float)ts.Education, tPast = (float)ts.PastTurnout, tPid = (float)ts.PartyIdStrength, tInt = (float)ts.Interest;
        DeterministicParallel.ForChunks(C, threads, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, end) =>
        {
            const int B = VoterBlock;
            var words = new uint[4 * B];
            var packed = new ulong[B];
            var posR = new float[K * B]; var salR = new float[K * B];
            var strength = new float[B]; var interest = new float[B];
            var pidR = new float[B]; var ageR = new float[B]; var edu = new float[B]; var past = new float[B];
            var weight = new float[P * B];
            var turnoutBits = new uint[B];
            var pick = new int[B];
            var constant = new float[P];
            for (long kk = s; kk < end; kk++)
            {
                int k = (int)kk;
                for (int j = 0; j < P; j++)
                    constant[j] = vm.StandsArray[k * P + j] ? (float)(vm.ValenceArray[j] + vm.ConstituencyOffsetArray[k * P + j]) : float.NegativeInfinity;
                float intercept = (float)(tm.Intercept + ts.Closeness * tm.ClosenessArray[k]);
                for (int i0 = e.ConstituencyStart[k]; i0 < e.ConstituencyStart[k + 1]; i0 += B)
                {
                    int count = Math.Min(B, e.ConstituencyStart[k + 1] - i0), lanes = (count + 15) & ~15;
                    PhiloxBatch.Fill(seed, StreamVote, (ulong)i0, count, 4, words, B);
                    // The voters' columns as floats, one row per attribute.
                    LoadHalves(e.IssuePosition, i0, K, count, lanes, posR, packed);
                    LoadHalves(e.IssueSalience, i0, K, count, lanes, salR, packed);
                    LoadHalves(e.PartyIdStrength, i0, 1, count, lanes, strength, packed);
                    LoadHalves(e.Interest, i0, 1, count, lanes, interest, packed);
                    LoadBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(e.PartyId.AsSpan(i0, count)), pidR, signed: true);
                    LoadBytes(e.Age.AsSpan(i0, count), ageR, signed: false);
                    LoadBytes(e.Education.AsSpan(i0, count), edu, signed: false);
                    LoadBytes(e.PastTurnout.AsSpan(i0, count), past, signed: false);
                    // Utilities, logit weights e^{u_j − max u} and the turnout propensity, sixteen voters at a time: each
                    // lane is the arithmetic of one voter's scalar code, in the same order.
                    for (int v = 0; v < lanes; v += 16)
                    {
                        var str = Ld(strength, v); var pid = Ld(pidR, v);
                        var max = Vector512.Create(float.NegativeInfinity);
                        for (int j = 0; j < P; j++)
                        {
                            Vector512<float> u;
                            if (float.IsNegativeInfinity(constant[j])) u = Vector512.Create(float.NegativeInfinity);
                            else
                            {
                                var d = WeightedDistance(posR, salR, K, v, positions, j);
                                u = Vector512.Create(-w) * d + Vector512.Create(constant[j])
                                    + Vector512.ConditionalSelect(Vector512.Equals(pid, Vector512.Create((float)j)), Vector512.Create(beta) * str, Vector512<float>.Zero);
                            }
                            u.StoreUnsafe(ref weight[j * B + v]);
                            max = Vector512.Max(max, u);
                        }
                        ExpWeights(weight, P, v, max);
                        var index = Vector512.Create(intercept) + Vector512.Create(tAge) * (Ld(ageR, v) - Vector512.Create(45f)) / Vector512.Create(10f)
                            + Vector512.Create(tEdu) * Ld(edu, v) + Vector512.Create(tPast) * Ld(past, v)
                            + Vector512.Create(tPid) * str + Vector512.Create(tInt) * Ld(interest, v);
                        FloatMath.ToHalfBits(FloatMath.Logistic(index)).StoreUnsafe(ref turnoutBits[v]);
                        // The draw by inversion: the first party whose cumulative weight exceeds u·Σ.
                        InvertWeights(weight, v, P, UniformRow(words, v)).StoreUnsafe(ref pick[v]);
                    }
                    StoreBytes(pick, 0, count, e.SincereVote, i0);
                    StoreHalves(turnoutBits, 0, 1, lanes, count, e.TurnoutPropensity, i0, packed);
                }
            }
        }, chunk: 1);
    }
}
