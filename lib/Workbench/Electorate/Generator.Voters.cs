using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Workbench.Random;

namespace Workbench.Electorate;

public static partial class Generator
{
    // ---------------- voters ----------------
    //
    // Voters are generated a block at a time. Voter i owns the stream (seed, StreamVoter, i) and uses its first
    // words in a fixed layout (below): every voter draws the same number of words whatever its attributes, so
    // the words of a whole block come out of one batched Philox call (PhiloxBatch, 8–16 voters per vector), and
    // the normal deviates of a block are made in one vector pass (FloatMath.NormalQuantile, inverse CDF). The
    // rest runs in passes over the block, sixteen voters per vector (Vector512): the demographic cell (AliasTable's
    // bulk draw: vector up to the per-voter table lookup) and age; the neighbourhood's and household's shared
    // components (by runs of one neighbourhood, and a sixteen-float permutation per household row); issue saliences
    // (gamma trials), binary demographics, Big Five, issue positions and the linear predictors of the leaf attributes; their logistic and exponential transforms; the logit draws of party
    // and past vote; whether a voter identifies with a party and would share a household member's (vector), then the
    // party itself (scalar, in voter order, because household members share party identification); its strength,
    // the persuadability and past-turnout logistics, past turnout and vote (vector). The results go to the
    // voter-major columns several values per store (StoreBytes, StoreHalves). Every vector lane does the same IEEE
    // operations in the same order as one voter's scalar code would (no fused multiply-add), so results are the same
    // bits whatever the vector width or processor. Rejections of the
    // gamma sampler (about 2% for the default salience concentration) retry on the voter's own fallback stream
    // (seed, 8, i). Nothing depends on the block size or on the thread that runs a constituency.
    //
    // The model itself — what each value is — is VoterModel.Draw, the same computation written plainly for one voter;
    // VoterBlockPass calls one method per numbered stage, named as Draw's method for that stage (RandomWords, CellAndAge,
    // …, PastVote), and its coefficients are VoterModelSpec's (rounded to single precision once, VoterCoefficients). The
    // property test Electorate.VoterModel holds the two equal bit for bit.

    internal const uint StreamVoterRetry = StreamIds.VoterRetry, StreamHouseholdOpinion = StreamIds.HouseholdOpinion;
    internal const int VoterBlock = 256;
    /// <summary>Age is centred at 45 and measured in decades: (age − AgeCentre)/AgeScale.</summary>
    internal const int AgeCentre = 45;
    /// <summary>See <see cref="AgeCentre"/>.</summary>
    internal const float AgeScale = 10f;

    // Uniform slots (one word each).
    internal const int UCell = 0, UAge = 1, UGender = 2, UUrban = 3, UEmployment = 4 /* 3 */, UMinority = 7, UHealth = 8,
        UIdentifies = 9, UShare = 10, UPartyId = 11, UStrength = 12 /* 3 */, UVoted = 15, ULoyal = 16, UPastVote = 17,
        UShow = 18, UJitter = 19, UniformSlots = 20;

    /// <summary>The word layout of one voter's stream for K issues: uniform slots, then K gamma uniforms, then the normal slots.</summary>
    internal readonly struct VoterLayout
    {
        public readonly int K, GammaU, Normals, BigFive, Issue, GammaZ, Interest, Persuade, Media, Phone, Email, Consumer, Footprint, NormalCount, Words;
        /// <summary>Words of a household's opinion stream: one per issue, rounded up to a multiple of four.</summary>
        public readonly int HouseholdWords;

        public VoterLayout(int k)
        {
            K = k;
            GammaU = UniformSlots;
            Normals = GammaU + k;
            BigFive = 0; Issue = BigFiveCount; GammaZ = Issue + k; Interest = GammaZ + k; Persuade = Interest + 1;
            Media = Persuade + 1; Phone = Media + PlatformCount; Email = Phone + 1; Consumer = Email + 1;
            Footprint = Consumer + ConsumerCount; NormalCount = Footprint + 1;
            Words = (Normals + NormalCount + 3) / 4 * 4;
            HouseholdWords = (k + 3) / 4 * 4;
        }
    }

    // Leaf predictors transformed in the vector pass: interest, persuadability (logistic), media (7), phone,
    // email, consumer (4) (logistic), footprint (exp), show weights (exp, 6).
    private const int XInterest = 0, XMedia = 1, XPhone = XMedia + PlatformCount, XEmail = XPhone + 1, XConsumer = XEmail + 1,
        XLogisticEnd = XConsumer + ConsumerCount, XFootprint = XLogisticEnd, XShow = XFootprint + 1, XCount = XShow + Shows;

    // Per-voter inputs of the vector passes: centred age, education and income, urban, minority, unemployed and male
    // indicators, age in years, the neighbourhood's urban probability, then for each issue the neighbourhood opinion and the household component.
    private const int DAge = 0, DEdu = 1, DInc = 2, DUrban = 3, DMinority = 4, DUnemployed = 5, DMale = 6, DAgeYears = 7, DUrbanP = 8, DShared = 9;
    // Rows of the binary demographics' codes.
    private const int DemoGender = 0, DemoUrban = 1, DemoEmployment = 2, DemoMinority = 3, DemoHealth = 4;

    // The age bands' lower ends and widths, lane b for band b (six bands; the other lanes are never selected).
    private static readonly Vector512<int> AgeBandLowers = BandVector(b => ElectorateSpec.AgeBandLower[b]);
    private static readonly Vector512<int> AgeBandWidths = BandVector(b => ElectorateSpec.AgeBandUpper[b] - ElectorateSpec.AgeBandLower[b]);

    private static Vector512<int> BandVector(Func<int, int> value)
    {
        Span<int> lanes = stackalloc int[16];
        for (int b = 0; b < ElectorateSpec.AgeBandCount; b++) lanes[b] = value(b);
        return Vector512.Create<int>(lanes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Ld(float[] a, int offset) => Vector512.LoadUnsafe(ref a[offset]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> C(float value) => Vector512.Create(value);

    /// <summary>Per-thread buffers of one block.</summary>
    private sealed class VoterScratch(VoterLayout layout, int parties)
    {
        public readonly uint[] Words = new uint[layout.Words * VoterBlock];
        public readonly float[] Z = new float[layout.NormalCount * VoterBlock];
        public readonly uint[] HouseholdWords = new uint[(layout.K + 3) / 4 * 4 * VoterBlock];
        public readonly float[] HouseholdZ = new float[layout.K * VoterBlock + 16]; // 16 spare: a row's last 16-float load stays inside
        public readonly float[] X = new float[XCount * VoterBlock];
        public readonly float[] Pos = new float[layout.K * VoterBlock];
        public readonly float[] Sal = new float[layout.K * VoterBlock];
        public readonly float[] B5 = new float[BigFiveCount * VoterBlock];
        public readonly uint[] LateHalf = new uint[4 * VoterBlock];
        public readonly int[] Rejected = new int[layout.K * VoterBlock]; // nonzero where a gamma's first try was rejected
        public readonly int[] Demographics = new int[5 * VoterBlock];
        public readonly int[] Picks = new int[4 * VoterBlock]; // favourite show, home morning/afternoon/evening (0..255)
        public readonly float[] PolicyWeight = new float[parties * VoterBlock];
        public readonly int[] PartyPick = new int[VoterBlock], PastPick = new int[VoterBlock]; // policy-only logit draws
        public readonly int[] OwnPid = new int[VoterBlock], Follows = new int[VoterBlock], Pid = new int[VoterBlock];
        public readonly int[] PastTurnout = new int[VoterBlock], PastVote = new int[VoterBlock];
        public readonly ulong[] Packed = new ulong[VoterBlock];
        public readonly int[] Cell = new int[VoterBlock], Age = new int[VoterBlock], Education = new int[VoterBlock], Quintile = new int[VoterBlock];
        public readonly uint[] HalfBits = new uint[(BigFiveCount + 2 * layout.K) * VoterBlock];
        public readonly int[] P255 = new int[XLogisticEnd * VoterBlock];
        public readonly float[] D = new float[(DShared + 2 * layout.K) * VoterBlock];
        public readonly float[] Strength = new float[VoterBlock];
        public readonly float[] Late = new float[2 * VoterBlock]; // persuadability and past-turnout predictors, then their logistics
    }

    /// <summary>
    /// Everything a voter's draw depends on besides the voter's own stream, shared by the vector pass and the scalar
    /// <see cref="VoterModel"/>: the electorate's geography and vote model, the neighbourhoods' latent traits, the
    /// constituencies' demographic cells and the per-voter model's coefficients in single precision.
    /// </summary>
    internal sealed class VoterSetting
    {
        public readonly Electorate E;
        public readonly ulong Seed;
        public readonly VoterLayout L;
        public readonly VoterCoefficients Co;
        public readonly AliasTable[] Cells;
        /// <summary>The neighbourhoods' latent urbanity (standard units).</summary>
        public readonly float[] NeighbourhoodUrbanity;
        /// <summary>Probability of living in an urban area, per neighbourhood: logistic(a + b·urbanity).</summary>
        public readonly float[] UrbanProbability;
        /// <summary>The neighbourhoods' opinion component, K per neighbourhood.</summary>
        public readonly float[] NeighbourhoodOpinion;
        /// <summary>Party positions, K per party, in single precision.</summary>
        public readonly float[] PartyPositions;
        /// <summary>Marsaglia–Tsang constants of the salience gamma: d = α − 1/3, c = 1/√(9d).</summary>
        public readonly float Alpha, GammaD, GammaC;

        public VoterSetting(Electorate e, ulong seed, VoterModelSpec model, AliasTable[] cells, float[] neighbourhoodUrbanity, float[] neighbourhoodOpinion)
        {
            E = e; Seed = seed; L = new VoterLayout(e.Spec.IssueCount); Co = new VoterCoefficients(model); Cells = cells;
            NeighbourhoodOpinion = neighbourhoodOpinion; NeighbourhoodUrbanity = neighbourhoodUrbanity;
            UrbanProbability = new float[neighbourhoodUrbanity.Length];
            for (int n = 0; n < neighbourhoodUrbanity.Length; n++) UrbanProbability[n] = FloatMath.Logistic(Co.UrbanIntercept + Co.UrbanSlope * neighbourhoodUrbanity[n]);
            PartyPositions = Array.ConvertAll(e.VoteModel.PartyPositionsArray, x => (float)x);
            Alpha = (float)e.Spec.SalienceConcentration;
            GammaD = Alpha - 1f / 3f; GammaC = 1f / MathF.Sqrt(9f * GammaD);
        }
    }

    private static void GenerateVoters(Electorate e, ulong seed, int threads, Latent latent, AliasTable[] cells, VoterModelSpec model, int blockLength,
        IProgress<GenerationProgress>? progress, CancellationToken ct)
    {
        var spec = e.Spec;
        int C = spec.Constituencies;
        AllocateVoterColumns(e);
        var setting = new VoterSetting(e, seed, model, cells, latent.NeighbourhoodUrbanity, latent.NeighbourhoodOpinion);
        var scratch = new ThreadLocal<VoterScratch>(() => new VoterScratch(setting.L, spec.Parties.Count));
        int done = 0;
        try
        {
            DeterministicParallel.ForChunks(C, threads, (s, end) =>
            {
                var buf = scratch.Value!;
                for (long kk = s; kk < end; kk++)
                {
                    int k = (int)kk;
                    int headPid = int.MinValue, currentHousehold = -1;
                    for (int i0 = e.ConstituencyStart[k]; i0 < e.ConstituencyStart[k + 1]; i0 += blockLength)
                    {
                        int count = Math.Min(blockLength, e.ConstituencyStart[k + 1] - i0);
                        VoterBlockPass(setting, k, i0, count, buf, ref headPid, ref currentHousehold);
                    }
                    int d = Interlocked.Increment(ref done);
                    if (progress is not null && (d % Math.Max(1, C / 50) == 0)) progress.Report(new("voters", 0.1 + 0.7 * d / C));
                    ct.ThrowIfCancellationRequested();
                }
            }, chunk: 1);
        }
        finally { scratch.Dispose(); }
    }

    private static void AllocateVoterColumns(Electorate e)
    {
        int N = e.VoterCount, K = e.Spec.IssueCount;
        e.Age = Columns.Allocate<byte>(N); e.Gender = Columns.Allocate<byte>(N);
        e.Education = Columns.Allocate<byte>(N); e.IncomeQuintile = Columns.Allocate<byte>(N);
        e.Employment = Columns.Allocate<byte>(N); e.Urban = Columns.Allocate<byte>(N);
        e.Minority = Columns.Allocate<byte>(N); e.Health = Columns.Allocate<byte>(N);
        e.BigFive = Columns.Allocate<Half>(N * BigFiveCount); e.IssuePosition = Columns.Allocate<Half>(N * K);
        e.IssueSalience = Columns.Allocate<Half>(N * K);
        e.PartyId = Columns.Allocate<sbyte>(N); e.PartyIdStrength = Columns.Allocate<Half>(N);
        e.PastVote = Columns.Allocate<sbyte>(N); e.PastTurnout = Columns.Allocate<byte>(N);
        e.Interest = Columns.Allocate<Half>(N); e.Persuadability = Columns.Allocate<Half>(N);
        e.MediaUse = Columns.Allocate<byte>(N * PlatformCount); e.TvShow = Columns.Allocate<byte>(N);
        e.HomeProbability = Columns.Allocate<byte>(N * 3); e.AnswersPhone = Columns.Allocate<byte>(N);
        e.OpensEmail = Columns.Allocate<byte>(N);
        e.ConsumerInterest = Columns.Allocate<byte>(N * ConsumerCount); e.DigitalFootprint = Columns.Allocate<Half>(N);
    }

    /// <summary>
    /// The voter stage alone, for the scalar reference and its property test: geography and demographics as
    /// <see cref="Generate(ElectorateSpec, int, ulong, VoterModelSpec, int, IProgress{GenerationProgress}?, CancellationToken)"/>,
    /// then the voter columns either by the vector pass over blocks of at most <paramref name="blockLength"/> voters
    /// (1–256) or, with <paramref name="scalar"/>, one voter at a time by <see cref="VoterModel.Draw"/>. Calibration and
    /// the sincere vote are not run.
    /// </summary>
    internal static Electorate GenerateVoterStage(ElectorateSpec spec, VoterModelSpec model, int voters, ulong seed, int blockLength, bool scalar)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(model);
        spec.EnsureValid(); model.EnsureValid();
        if (blockLength < 1 || blockLength > VoterBlock) throw new ArgumentOutOfRangeException(nameof(blockLength), blockLength, $"blockLength must be in [1, {VoterBlock}].");
        var e = new Electorate(spec, voters, seed);
        var latent = BuildGeography(e, seed, 1);
        var cells = FitDemographics(e, latent, model);
        if (!scalar) { GenerateVoters(e, seed, 1, latent, cells, model, blockLength, null, CancellationToken.None); return e; }
        AllocateVoterColumns(e);
        var setting = new VoterSetting(e, seed, model, cells, latent.NeighbourhoodUrbanity, latent.NeighbourhoodOpinion);
        int K = spec.IssueCount;
        int headParty = int.MinValue;
        for (int i = 0; i < e.VoterCount; i++)
        {
            if (i == 0 || e.Household[i] != e.Household[i - 1]) headParty = int.MinValue; // a new household: this voter is its first member
            var v = VoterModel.Draw(setting, i, headParty);
            if (headParty == int.MinValue) headParty = v.PartyId;
            e.Age[i] = v.Age; e.Gender[i] = v.Gender; e.Education[i] = v.Education; e.IncomeQuintile[i] = v.IncomeQuintile;
            e.Employment[i] = (byte)v.Employment; e.Urban[i] = v.Urban; e.Minority[i] = v.Minority; e.Health[i] = v.Health;
            v.BigFive.CopyTo(e.BigFive.AsSpan(i * BigFiveCount, BigFiveCount));
            v.IssuePosition.CopyTo(e.IssuePosition.AsSpan(i * K, K)); v.IssueSalience.CopyTo(e.IssueSalience.AsSpan(i * K, K));
            e.PartyId[i] = (sbyte)v.PartyId; e.PartyIdStrength[i] = v.PartyIdStrength;
            e.PastVote[i] = (sbyte)v.PastVote; e.PastTurnout[i] = v.PastTurnout;
            e.Interest[i] = v.Interest; e.Persuadability[i] = v.Persuadability;
            v.MediaUse.CopyTo(e.MediaUse.AsSpan(i * PlatformCount, PlatformCount)); e.TvShow[i] = v.TvShow;
            v.HomeProbability.CopyTo(e.HomeProbability.AsSpan(i * 3, 3)); e.AnswersPhone[i] = v.AnswersPhone; e.OpensEmail[i] = v.OpensEmail;
            v.ConsumerInterest.CopyTo(e.ConsumerInterest.AsSpan(i * ConsumerCount, ConsumerCount)); e.DigitalFootprint[i] = v.DigitalFootprint;
        }
        return e;
    }

    /// <summary>
    /// The voters i0 … i0 + count − 1 of constituency k (count ≤ 256), sixteen voters per vector, in the numbered stages
    /// of <see cref="VoterModel.Draw"/>, which computes the same values one voter at a time: one method per stage, each
    /// named as the scalar model's. The stages pass their results to one another in <paramref name="buf"/>'s rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void VoterBlockPass(VoterSetting setting, int k, int i0, int count, VoterScratch buf, ref int headPid, ref int currentHousehold)
    {
        int lanes = (count + 15) & ~15; // vector passes run over whole groups of sixteen (extra lanes are ignored)
        RandomWords(setting, i0, count, lanes, buf);
        CellAndAge(setting, k, i0, count, lanes, buf);
        Context(setting, i0, count, buf);
        IssueSalience(setting, i0, count, lanes, buf);
        BinaryDemographics(setting, k, i0, count, lanes, buf);
        TraitsPositionsAndPredictors(setting, k, i0, count, lanes, buf);
        Transforms(lanes, buf);
        PolicyDraws(setting, k, lanes, buf);
        PartyIdentification(setting, i0, count, lanes, buf, ref headPid, ref currentHousehold);
        PersuadabilityAndTurnout(setting, lanes, buf);
        BytesShowAndHome(setting, lanes, buf);
        PastVote(setting, i0, count, lanes, buf);
    }

    /// <summary>
    /// Stage 1. Random words of every voter of the block, and its normal deviates; the household-shared issue components
    /// of the block's households, N(0, sd²), from each household's stream (seed, HouseholdOpinion, h).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RandomWords(VoterSetting setting, int i0, int count, int lanes, VoterScratch buf)
    {
        const int B = VoterBlock;
        var e = setting.E; var L = setting.L; var co = setting.Co; ulong seed = setting.Seed;
        int K = L.K;
        var words = buf.Words; var z = buf.Z;
        var cHousehold = e.Household;
        PhiloxBatch.Fill(seed, StreamVoter, (ulong)i0, count, L.Words, words, B);
        for (int s = 0; s < L.NormalCount; s++)
        {
            for (int v = 0; v < lanes; v += 16)
                FloatMath.NormalQuantile(FloatMath.OpenUniform(Vector512.LoadUnsafe(ref words[(L.Normals + s) * B + v]))).StoreUnsafe(ref z[s * B + v]);
        }
        int h0 = cHousehold[i0], households = cHousehold[i0 + count - 1] - h0 + 1, hLanes = (households + 15) & ~15;
        PhiloxBatch.Fill(seed, StreamHouseholdOpinion, (ulong)h0, households, L.HouseholdWords, buf.HouseholdWords, B);
        var householdSd = C(co.HouseholdOpinionSd);
        for (int q = 0; q < K; q++)
            for (int v = 0; v < hLanes; v += 16)
                (householdSd * FloatMath.NormalQuantile(FloatMath.OpenUniform(Vector512.LoadUnsafe(ref buf.HouseholdWords[q * B + v]))))
                    .StoreUnsafe(ref buf.HouseholdZ[q * B + v]);
    }

    /// <summary>
    /// Stage 2. Demographic cell (an alias-table draw) and age of each voter, and the per-voter inputs of the vector passes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CellAndAge(VoterSetting setting, int k, int i0, int count, int lanes, VoterScratch buf)
    {
        const int B = VoterBlock;
        var e = setting.E;
        var words = buf.Words;
        var d = buf.D;
        var cellR = buf.Cell; var ageR = buf.Age; var eduR = buf.Education; var quintileR = buf.Quintile;
        // The cell (lanes from count on keep the previous block's cells: they are ignored).
        setting.Cells[k].Sample(words.AsSpan(UCell * B, count), cellR);
        for (int v = 0; v < lanes; v += 16)
        {
            // cell = 15·band + 5·education + income (education < 3, income < 5). Quotients of these small integers by
            // 5 and 3 by float multiplication and floor are exact: 0.2f and 0.33333334f exceed 1/5 and 1/3 by less
            // than 1e-7 relative, far less than the 1/5 (1/3) gap to the next integer.
            var cell = Vector512.LoadUnsafe(ref cellR[v]);
            var q5 = Vector512.ConvertToInt32(Vector512.Floor(Vector512.ConvertToSingle(cell) * C(0.2f)));
            var inc = cell - q5 * Vector512.Create(5);
            var band = Vector512.ConvertToInt32(Vector512.Floor(Vector512.ConvertToSingle(q5) * C(1f / 3f)));
            var ed = q5 - band * Vector512.Create(3);
            // Age: the band's lower end + ⌊word · width / 2³²⌋ (a 32×32→64-bit product).
            var (aLo, aHi) = Vector512.Widen(Vector512.LoadUnsafe(ref words[UAge * B + v]));
            var (widthLo, widthHi) = Vector512.Widen(Vector512.Shuffle(AgeBandWidths, band).AsUInt32());
            var offset = Vector512.Narrow(Vector512.ShiftRightLogical(aLo * widthLo, 32), Vector512.ShiftRightLogical(aHi * widthHi, 32)).AsInt32();
            var age = Vector512.Shuffle(AgeBandLowers, band) + offset;
            age.StoreUnsafe(ref ageR[v]);
            ed.StoreUnsafe(ref eduR[v]); (inc + Vector512<int>.One).StoreUnsafe(ref quintileR[v]);
            (Vector512.ConvertToSingle(age - Vector512.Create(AgeCentre)) / C(AgeScale)).StoreUnsafe(ref d[DAge * B + v]);
            Vector512.ConvertToSingle(ed - Vector512<int>.One).StoreUnsafe(ref d[DEdu * B + v]);
            Vector512.ConvertToSingle(inc - Vector512.Create(2)).StoreUnsafe(ref d[DInc * B + v]);
            Vector512.ConvertToSingle(age).StoreUnsafe(ref d[DAgeYears * B + v]);
        }
        StoreBytes(ageR, 0, count, e.Age, i0); StoreBytes(eduR, 0, count, e.Education, i0); StoreBytes(quintileR, 0, count, e.IncomeQuintile, i0);
    }

    /// <summary>
    /// Stage 3. The neighbourhood's urban probability and opinion, by runs of voters of one neighbourhood; the household
    /// component, a permutation of the household rows of stage 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Context(VoterSetting setting, int i0, int count, VoterScratch buf)
    {
        const int B = VoterBlock;
        var e = setting.E; int K = setting.L.K;
        var cHousehold = e.Household; var cNeighbourhood = e.Neighbourhood; // read in per-voter loops
        var d = buf.D;
        int h0 = cHousehold[i0];
        var pUrban = setting.UrbanProbability; var nbOp = setting.NeighbourhoodOpinion;
        for (int v = 0; v < count;)
        {
            int nb = cNeighbourhood[i0 + v];
            int run = cNeighbourhood.AsSpan(i0 + v, count - v).IndexOfAnyExcept(nb);
            if (run < 0) run = count - v;
            d.AsSpan(DUrbanP * B + v, run).Fill(pUrban[nb]);
            for (int q = 0; q < K; q++) d.AsSpan((DShared + 2 * q) * B + v, run).Fill(nbOp[nb * K + q]);
            v += run;
        }
        // The household component: sixteen consecutive voters live in at most sixteen consecutive households, so their
        // values are a permutation of the sixteen floats from the first voter's household on.
        var hzAll = buf.HouseholdZ;
        int vFull = count & ~15;
        for (int v = 0; v < vFull; v += 16)
        {
            var hIndex = Vector512.LoadUnsafe(ref cHousehold[i0 + v]);
            int first = hIndex.ToScalar();
            var rel = hIndex - Vector512.Create(first);
            for (int q = 0; q < K; q++)
                Vector512.Shuffle(Vector512.LoadUnsafe(ref hzAll[q * B + first - h0]), rel).StoreUnsafe(ref d[(DShared + 2 * q + 1) * B + v]);
        }
        for (int q = 0; q < K; q++)
            for (int v = vFull; v < count; v++) d[(DShared + 2 * q + 1) * B + v] = hzAll[q * B + cHousehold[i0 + v] - h0];
    }

    /// <summary>
    /// Stage 4. Issue salience: Dirichlet(α, …, α) from K gammas (Marsaglia &amp; Tsang 2000). The first try of every gamma
    /// comes from the voter's fixed slots, sixteen voters at a time; a rejected try (or α &lt; 1) is redrawn, in issue order,
    /// from the voter's fallback stream; then each voter's gammas are normalised.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void IssueSalience(VoterSetting setting, int i0, int count, int lanes, VoterScratch buf)
    {
        const int B = VoterBlock;
        var spec = setting.E.Spec; var L = setting.L; ulong seed = setting.Seed;
        int K = L.K;
        var words = buf.Words; var z = buf.Z;
        var sal = buf.Sal; var rejected = buf.Rejected;
        float alpha = setting.Alpha, gd = setting.GammaD, gc = setting.GammaC;
        for (int v = 0; v < lanes; v += 16)
            for (int q = 0; q < K; q++)
            {
                var accept = TryGamma(gd, gc, Ld(z, (L.GammaZ + q) * B + v), FloatMath.OpenUniform(Vector512.LoadUnsafe(ref words[(L.GammaU + q) * B + v])), out var first);
                if (alpha < 1f) accept = Vector512<float>.Zero;
                first.StoreUnsafe(ref sal[q * B + v]);
                (~accept.AsInt32()).StoreUnsafe(ref rejected[q * B + v]);
            }
        for (int v = 0; v < count; v++)
        {
            RandomStream retry = default; bool hasRetry = false;
            for (int q = 0; q < K; q++)
            {
                if (rejected[q * B + v] == 0) continue;
                if (!hasRetry) { retry = new RandomStream(seed, StreamVoterRetry, (ulong)(i0 + v)); hasRetry = true; }
                sal[q * B + v] = (float)retry.Gamma(spec.SalienceConcentration);
            }
        }
        for (int v = 0; v < lanes; v += 16)
        {
            var total = Vector512<float>.Zero;
            for (int q = 0; q < K; q++) total += Ld(sal, q * B + v);
            for (int q = 0; q < K; q++) (Ld(sal, q * B + v) / total).StoreUnsafe(ref sal[q * B + v]);
            if (Vector512.EqualsAny(total, Vector512<float>.Zero))
                for (int l = 0; l < 16 && v + l < count; l++)
                    if (total.GetElement(l) == 0f) TinyGammaShares(seed, i0 + v + l, spec.SalienceConcentration, K, rejected, sal, v + l);
        }
    }

    /// <summary>
    /// Stage 5. Binary demographics sixteen at a time, each lane the scalar rule: gender; urban; employment (retirement
    /// from the retirement age, students among the young, unemployment with deprivation and low income); minority;
    /// health. Indicators go to the vector inputs as 1/0, which the loadings multiply exactly.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BinaryDemographics(VoterSetting setting, int k, int i0, int count, int lanes, VoterScratch buf)
    {
        const int B = VoterBlock;
        var e = setting.E; var co = setting.Co;
        var m = e.Spec.Marginals;
        var words = buf.Words; var d = buf.D;
        float dep = e.ConstituencyDeprivation[k];
        var demo = buf.Demographics;
        float female = (float)m.Female, health = (float)m.Health;
        float minorityUrban = (float)Math.Min(1, m.Minority * co.MinorityUrbanFactor), minorityRural = (float)Math.Min(1, m.Minority * co.MinorityRuralFactor);
        float unemployedBase = co.UnemploymentRate * FloatMath.Exp(co.UnemploymentDeprivation * dep);
        float unemployedLow = unemployedBase * co.LowIncomeUnemploymentFactor, femaleOther = female + co.OtherGenderShare;
        for (int v = 0; v < lanes; v += 16)
        {
            var ageY = Ld(d, DAgeYears * B + v);
            var g = UniformRow(words, UGender * B + v);
            var gender = Vector512.ConditionalSelect(Vector512.LessThan(g, C(female)).AsInt32(), Vector512<int>.Zero,
                Vector512.ConditionalSelect(Vector512.LessThan(g, C(femaleOther)).AsInt32(), Vector512.Create(2), Vector512<int>.One));
            var urban = Vector512.LessThan(UniformRow(words, UUrban * B + v), Ld(d, DUrbanP * B + v));
            var u0 = UniformRow(words, UEmployment * B + v);
            var unemployedRate = Vector512.ConditionalSelect(Vector512.Equals(Ld(d, DInc * B + v), C(-2f)), C(unemployedLow), C(unemployedBase));
            var rest = Vector512.ConditionalSelect(Vector512.LessThan(UniformRow(words, (UEmployment + 1) * B + v), unemployedRate).AsInt32(),
                Vector512.Create((int)Employment.Unemployed),
                Vector512.ConditionalSelect(Vector512.LessThan(UniformRow(words, (UEmployment + 2) * B + v), C(co.EmployedShare)).AsInt32(),
                    Vector512.Create((int)Employment.Employed), Vector512.Create((int)Employment.Inactive)));
            var young = Vector512.ConditionalSelect((Vector512.LessThan(ageY, C(co.StudentAgeBelow)) & Vector512.LessThan(u0, C(co.StudentShare))).AsInt32(),
                Vector512.Create((int)Employment.Student), rest);
            var emp = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(ageY, C(co.RetirementAge)).AsInt32(),
                Vector512.ConditionalSelect(Vector512.LessThan(u0, C(co.RetiredShare)).AsInt32(), Vector512.Create((int)Employment.Retired), Vector512.Create((int)Employment.Employed)),
                young);
            var minority = Vector512.LessThan(UniformRow(words, UMinority * B + v), Vector512.ConditionalSelect(urban, C(minorityUrban), C(minorityRural)));
            var healthy = Vector512.LessThan(UniformRow(words, UHealth * B + v),
                Vector512.Min(Vector512<float>.One, C(health) * (C(co.HealthBase) + C(co.HealthAgeGradient) * (ageY - C(co.HealthAgeFrom)) / C(co.HealthAgeSpan))));
            gender.StoreUnsafe(ref demo[DemoGender * B + v]);
            (urban.AsInt32() & Vector512<int>.One).StoreUnsafe(ref demo[DemoUrban * B + v]);
            emp.StoreUnsafe(ref demo[DemoEmployment * B + v]);
            (minority.AsInt32() & Vector512<int>.One).StoreUnsafe(ref demo[DemoMinority * B + v]);
            (healthy.AsInt32() & Vector512<int>.One).StoreUnsafe(ref demo[DemoHealth * B + v]);
            (urban.AsSingle() & Vector512<float>.One).StoreUnsafe(ref d[DUrban * B + v]);
            (minority.AsSingle() & Vector512<float>.One).StoreUnsafe(ref d[DMinority * B + v]);
            (Vector512.Equals(emp, Vector512.Create((int)Employment.Unemployed)).AsSingle() & Vector512<float>.One).StoreUnsafe(ref d[DUnemployed * B + v]);
            (Vector512.Equals(gender, Vector512<int>.One).AsSingle() & Vector512<float>.One).StoreUnsafe(ref d[DMale * B + v]);
        }
        StoreBytes(demo, DemoGender * B, count, e.Gender, i0); StoreBytes(demo, DemoUrban * B, count, e.Urban, i0);
        StoreBytes(demo, DemoEmployment * B, count, e.Employment, i0); StoreBytes(demo, DemoMinority * B, count, e.Minority, i0);
        StoreBytes(demo, DemoHealth * B, count, e.Health, i0);
    }

    /// <summary>
    /// Stage 6. Big Five (L·z with the Cholesky factor of their correlation), issue positions (demographic loadings +
    /// neighbourhood "swing streets" + household + individual) and the linear predictors of the leaf attributes,
    /// sixteen voters at a time; every lane is the same arithmetic, in the same order, as one voter's scalar code. The
    /// traits, positions and saliences go to the voter-major columns, rounded to Half.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TraitsPositionsAndPredictors(VoterSetting setting, int k, int i0, int count, int lanes, VoterScratch buf)
    {
        const int B = VoterBlock;
        var e = setting.E; var L = setting.L; var co = setting.Co;
        int K = L.K;
        var z = buf.Z; var x = buf.X; var d = buf.D;
        var chol = co.BigFiveFactor;
        float dep = e.ConstituencyDeprivation[k];
        var b5r = buf.B5; var posR = buf.Pos;
        var econDep = C(co.EconomicDeprivation * dep);
        for (int v = 0; v < lanes; v += 16)
        {
            for (int t = 0; t < BigFiveCount; t++)
            {
                var sum = Vector512<float>.Zero;
                for (int c = 0; c <= t; c++) sum += Vector512.Create(chol[t * BigFiveCount + c]) * Ld(z, (L.BigFive + c) * B + v);
                sum.StoreUnsafe(ref b5r[t * B + v]);
            }
            Vector512<float> ageC = Ld(d, DAge * B + v), edC = Ld(d, DEdu * B + v), incC = Ld(d, DInc * B + v), urbanV = Ld(d, DUrban * B + v);
            Vector512<float> b0 = Ld(b5r, v), b1 = Ld(b5r, B + v);
            for (int q = 0; q < K; q++)
            {
                var load = (q % 4) switch
                {
                    0 => C(co.EconomicIncome) * incC + econDep + C(co.EconomicConscientiousness) * b1 + C(co.EconomicUnemployed) * Ld(d, DUnemployed * B + v),
                    1 => C(co.CulturalAge) * ageC + C(co.CulturalEducation) * edC + C(co.CulturalUrban) * urbanV + C(co.CulturalMinority) * Ld(d, DMinority * B + v)
                        + C(co.CulturalOpenness) * b0,
                    2 => C(co.EnvironmentAge) * ageC + C(co.EnvironmentEducation) * edC + C(co.EnvironmentUrban) * urbanV + C(co.EnvironmentOpenness) * b0,
                    _ => C(co.SovereigntyAge) * ageC + C(co.SovereigntyEducation) * edC + C(co.SovereigntyUrban) * urbanV,
                };
                (load + Ld(d, (DShared + 2 * q) * B + v) + Ld(d, (DShared + 2 * q + 1) * B + v) + C(co.IndividualOpinionSd) * Ld(z, (L.Issue + q) * B + v))
                    .StoreUnsafe(ref posR[q * B + v]);
            }
            (C(co.InterestIntercept) + C(co.InterestEducation) * edC + C(co.InterestAge) * ageC + C(co.InterestSd) * Ld(z, L.Interest * B + v)).StoreUnsafe(ref x[XInterest * B + v]);
            for (int pf = 0; pf < PlatformCount; pf++)
                (C(co.MediaIntercept[pf]) + C(co.MediaAge[pf]) * ageC + C(co.MediaEducation[pf]) * edC + C(co.MediaSd) * Ld(z, (L.Media + pf) * B + v)).StoreUnsafe(ref x[(XMedia + pf) * B + v]);
            (C(co.PhoneIntercept) + C(co.PhoneAge) * ageC + C(co.PhoneSd) * Ld(z, L.Phone * B + v)).StoreUnsafe(ref x[XPhone * B + v]);
            (C(co.EmailIntercept) + C(co.EmailEducation) * edC + C(co.EmailAge) * ageC + C(co.EmailSd) * Ld(z, L.Email * B + v)).StoreUnsafe(ref x[XEmail * B + v]);
            Vector512<float> env = K > 2 ? Ld(posR, 2 * B + v) : Vector512<float>.Zero, cult = K > 1 ? Ld(posR, B + v) : Vector512<float>.Zero, econ = Ld(posR, v);
            var consumerSd = C(co.ConsumerSd);
            (C(co.OrganicIntercept) + C(co.OrganicEnvironment) * env + C(co.OrganicIncome) * incC + consumerSd * Ld(z, L.Consumer * B + v)).StoreUnsafe(ref x[XConsumer * B + v]);
            (C(co.LuxuryIntercept) + C(co.LuxuryIncome) * incC + consumerSd * Ld(z, (L.Consumer + 1) * B + v)).StoreUnsafe(ref x[(XConsumer + 1) * B + v]);
            (C(co.OutdoorIntercept) + C(co.OutdoorCultural) * cult + C(co.OutdoorRural) * (Vector512<float>.One - urbanV) + consumerSd * Ld(z, (L.Consumer + 2) * B + v))
                .StoreUnsafe(ref x[(XConsumer + 2) * B + v]);
            (C(co.BettingIntercept) + C(co.BettingMale) * Ld(d, DMale * B + v) + C(co.BettingEducation) * edC + consumerSd * Ld(z, (L.Consumer + 3) * B + v))
                .StoreUnsafe(ref x[(XConsumer + 3) * B + v]);
            (C(co.FootprintAge) * ageC + C(co.FootprintSd) * Ld(z, L.Footprint * B + v)).StoreUnsafe(ref x[XFootprint * B + v]);
            for (int sh = 0; sh < Shows; sh++)
            {
                Vector512<float> d0 = econ - C(co.ShowEconomic[sh]), d1 = cult - C(co.ShowCultural[sh]);
                (-(d0 * d0 + d1 * d1)).StoreUnsafe(ref x[(XShow + sh) * B + v]);
            }
        }
        // The traits, positions and saliences into the voter-major output columns, rounded to Half sixteen at a time.
        var hb = buf.HalfBits; var salR = buf.Sal;
        for (int v = 0; v < lanes; v += 16)
        {
            for (int t = 0; t < BigFiveCount; t++) FloatMath.ToHalfBits(Ld(b5r, t * B + v)).StoreUnsafe(ref hb[t * B + v]);
            for (int q = 0; q < K; q++)
            {
                FloatMath.ToHalfBits(Ld(posR, q * B + v)).StoreUnsafe(ref hb[(BigFiveCount + q) * B + v]);
                FloatMath.ToHalfBits(Ld(salR, q * B + v)).StoreUnsafe(ref hb[(BigFiveCount + K + q) * B + v]);
            }
        }
        StoreHalves(hb, 0, BigFiveCount, lanes, count, e.BigFive, i0, buf.Packed);
        StoreHalves(hb, BigFiveCount * B, K, lanes, count, e.IssuePosition, i0, buf.Packed);
        StoreHalves(hb, (BigFiveCount + K) * B, K, lanes, count, e.IssueSalience, i0, buf.Packed);
    }

    /// <summary>
    /// Stage 7. Transforms of the leaf predictors, sixteen voters at a time: logistic for interest, media, phone, email
    /// and consumer interests; exp for the footprint and the show weights.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transforms(int lanes, VoterScratch buf)
    {
        const int B = VoterBlock;
        var x = buf.X;
        for (int r = 0; r < XLogisticEnd; r++)
            for (int v = 0; v < lanes; v += 16)
                FloatMath.Logistic(Ld(x, r * B + v)).StoreUnsafe(ref x[r * B + v]);
        for (int r = XFootprint; r < XCount; r++)
            for (int v = 0; v < lanes; v += 16)
                FloatMath.Exp(Ld(x, r * B + v)).StoreUnsafe(ref x[r * B + v]);
    }

    /// <summary>
    /// Stage 8. Policy-only logit weights e^{u_j − max u} (u_j = −w Σ s_q (x_q − p_jq)² + c_jk, in double as the vote model,
    /// then single precision), sixteen voters at a time; party identification and the past vote both draw from them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PolicyDraws(VoterSetting setting, int k, int lanes, VoterScratch buf)
    {
        const int B = VoterBlock;
        var e = setting.E;
        int K = setting.L.K, P = e.Spec.Parties.Count;
        var words = buf.Words;
        var vm = e.VoteModel;
        var policyWeight = buf.PolicyWeight;
        PolicyWeights(vm, setting.PartyPositions, k, buf.Pos, buf.Sal, K, lanes, policyWeight);
        // The draws from them (by inversion) that party identification and the past vote may use.
        var partyPick = buf.PartyPick; var pastPick = buf.PastPick;
        for (int v = 0; v < lanes; v += 16)
        {
            InvertWeights(policyWeight, v, P, UniformRow(words, UPartyId * B + v)).StoreUnsafe(ref partyPick[v]);
            InvertWeights(policyWeight, v, P, UniformRow(words, UPastVote * B + v)).StoreUnsafe(ref pastPick[v]);
        }
    }

    /// <summary>
    /// Stage 9. Party identification (shared within households) and its strength. Sixteen at a time: the party a voter
    /// identifies with on their own (or −1), and whether they would take the first member's party; then, in voter order,
    /// the party; then, sixteen at a time again, the strength.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PartyIdentification(VoterSetting setting, int i0, int count, int lanes, VoterScratch buf, ref int headPid, ref int currentHousehold)
    {
        const int B = VoterBlock;
        var e = setting.E; var spec = e.Spec; var co = setting.Co;
        var words = buf.Words; var x = buf.X; var ownPid = buf.OwnPid; var follows = buf.Follows; var pidR = buf.Pid;
        var partyPick = buf.PartyPick;
        var cHousehold = e.Household; // read in per-voter loops
        float partyIdRate = (float)spec.PartyIdRate, householdPartisanship = (float)spec.HouseholdPartisanship;
        for (int v = 0; v < lanes; v += 16)
        {
            var interest = Ld(x, XInterest * B + v);
            var identifies = Vector512.LessThan(UniformRow(words, UIdentifies * B + v),
                Vector512.Min(Vector512<float>.One, C(partyIdRate) * (C(co.PartyIdBase) + C(co.PartyIdInterest) * interest)));
            Vector512.ConditionalSelect(identifies.AsInt32(), Vector512.LoadUnsafe(ref partyPick[v]), Vector512.Create(-1)).StoreUnsafe(ref ownPid[v]);
            Vector512.LessThan(UniformRow(words, UShare * B + v), C(householdPartisanship)).AsInt32().StoreUnsafe(ref follows[v]);
        }
        for (int v = 0; v < count; v++)
        {
            int i = i0 + v;
            int h = cHousehold[i];
            if (h != currentHousehold) { currentHousehold = h; headPid = int.MinValue; } // the first member sets it
            int pid = headPid != int.MinValue && follows[v] != 0 ? headPid : ownPid[v];
            if (headPid == int.MinValue) headPid = pid;
            pidR[v] = pid;
        }
        StoreBytes(pidR, 0, count, e.PartyId, i0);
        for (int v = 0; v < lanes; v += 16)
        {
            // Strength ~ Beta(2, 2): the median of three uniforms, for voters with a party (0 for the others).
            Vector512<float> s0 = UniformRow(words, UStrength * B + v), s1 = UniformRow(words, (UStrength + 1) * B + v), s2 = UniformRow(words, (UStrength + 2) * B + v);
            var median = Vector512.Max(Vector512.Min(s0, s1), Vector512.Min(Vector512.Max(s0, s1), s2));
            var strength = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(Vector512.LoadUnsafe(ref pidR[v]), Vector512<int>.Zero).AsSingle(), median, Vector512<float>.Zero);
            strength.StoreUnsafe(ref buf.Strength[v]);
        }
    }

    /// <summary>
    /// Stage 10. The predictors of persuadability and past turnout, and their logistics, sixteen voters at a time; interest,
    /// party-identification strength, persuadability and digital footprint rounded to Half.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PersuadabilityAndTurnout(VoterSetting setting, int lanes, VoterScratch buf)
    {
        const int B = VoterBlock;
        var L = setting.L; var co = setting.Co;
        var z = buf.Z; var x = buf.X; var d = buf.D; var late = buf.Late;
        for (int v = 0; v < lanes; v += 16)
        {
            var strength = Ld(buf.Strength, v);
            var interest = Ld(x, XInterest * B + v);
            (C(co.PersuadabilityIntercept) + C(co.PersuadabilityStrength) * strength + C(co.PersuadabilityInterest) * interest
                + C(co.PersuadabilityAgreeableness) * Ld(buf.B5, 3 * B + v) + C(co.PersuadabilitySd) * Ld(z, L.Persuade * B + v)).StoreUnsafe(ref late[v]);
            (C(co.PastTurnoutIntercept) + C(co.PastTurnoutAge) * Ld(d, DAge * B + v) + C(co.PastTurnoutEducation) * Ld(d, DEdu * B + v)
                + C(co.PastTurnoutInterest) * (interest - C(co.PastTurnoutInterestCentre)) + C(co.PastTurnoutStrength) * strength).StoreUnsafe(ref late[B + v]);
        }
        for (int r = 0; r < 2; r++)
            for (int v = 0; v < lanes; v += 16)
                FloatMath.Logistic(Ld(late, r * B + v)).StoreUnsafe(ref late[r * B + v]);
        // Interest, party-identification strength, persuadability and digital footprint rounded to Half, sixteen at a time.
        var lateHalf = buf.LateHalf; var strengthR = buf.Strength;
        for (int v = 0; v < lanes; v += 16)
        {
            FloatMath.ToHalfBits(Ld(x, XInterest * B + v)).StoreUnsafe(ref lateHalf[v]);
            FloatMath.ToHalfBits(Ld(strengthR, v)).StoreUnsafe(ref lateHalf[B + v]);
            FloatMath.ToHalfBits(Ld(late, v)).StoreUnsafe(ref lateHalf[2 * B + v]);
            FloatMath.ToHalfBits(Ld(x, XFootprint * B + v)).StoreUnsafe(ref lateHalf[3 * B + v]);
        }
    }

    /// <summary>
    /// Stage 11. The logistic leaves as bytes (probability × 255), the favourite show and being at home, sixteen at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BytesShowAndHome(VoterSetting setting, int lanes, VoterScratch buf)
    {
        const int B = VoterBlock;
        var co = setting.Co;
        var words = buf.Words; var x = buf.X; var demo = buf.Demographics;
        var p255 = buf.P255; var picks = buf.Picks;
        for (int r = XMedia; r < XLogisticEnd; r++)
            for (int v = 0; v < lanes; v += 16)
                Prob255(Ld(x, r * B + v)).StoreUnsafe(ref p255[r * B + v]);
        for (int v = 0; v < lanes; v += 16)
        {
            // Favourite show: a logit draw with weights e^{−distance²} on the economic and cultural dimensions, by
            // inversion — the first show whose cumulative weight exceeds u·Σ, i.e. the number of partial sums ≤ u·Σ
            // among the first Shows − 1 (the sums never decrease).
            var total = Vector512<float>.Zero;
            for (int sh = 0; sh < Shows; sh++) total += Ld(x, (XShow + sh) * B + v);
            var target = UniformRow(words, UShow * B + v) * total;
            var acc = Vector512<float>.Zero; var show = Vector512<int>.Zero;
            for (int sh = 0; sh < Shows - 1; sh++)
            {
                acc += Ld(x, (XShow + sh) * B + v);
                show -= Vector512.GreaterThanOrEqual(target, acc).AsInt32(); // all bits set = −1 where target ≥ acc
            }
            show.StoreUnsafe(ref picks[v]);
            // Home by time of day: by employment, with a per-voter jitter.
            var emp = Vector512.LoadUnsafe(ref demo[DemoEmployment * B + v]);
            var home = Vector512.Equals(emp, Vector512.Create((int)Employment.Retired)) | Vector512.Equals(emp, Vector512.Create((int)Employment.Inactive));
            var unemployed = Vector512.Equals(emp, Vector512.Create((int)Employment.Unemployed));
            var student = Vector512.Equals(emp, Vector512.Create((int)Employment.Student));
            var jitter = C(co.HomeJitterLow) + C(co.HomeJitterWidth) * UniformRow(words, UJitter * B + v);
            for (int t = 0; t < 3; t++)
            {
                var p = Vector512.ConditionalSelect(home.AsSingle(), C(co.HomeRetired[t]), Vector512.ConditionalSelect(unemployed.AsSingle(), C(co.HomeUnemployed[t]),
                    Vector512.ConditionalSelect(student.AsSingle(), C(co.HomeStudent[t]), C(co.HomeEmployed[t]))));
                Prob255(p * jitter).StoreUnsafe(ref picks[(1 + t) * B + v]);
            }
        }
    }

    /// <summary>
    /// Stage 12. Past turnout, and the past vote: the party identified with (the loyal share of partisans who voted),
    /// else the policy draw; then everything of stages 10–12 into the voter-major columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PastVote(VoterSetting setting, int i0, int count, int lanes, VoterScratch buf)
    {
        const int B = VoterBlock;
        var e = setting.E; var co = setting.Co;
        var words = buf.Words; var late = buf.Late; var pidR = buf.Pid; var pastPick = buf.PastPick;
        var lateHalf = buf.LateHalf; var p255 = buf.P255; var picks = buf.Picks;
        var pastTurnoutR = buf.PastTurnout; var pastVoteR = buf.PastVote;
        for (int v = 0; v < lanes; v += 16)
        {
            var voted = Vector512.LessThan(UniformRow(words, UVoted * B + v), Ld(late, B + v)).AsInt32();
            var pid = Vector512.LoadUnsafe(ref pidR[v]);
            var loyal = Vector512.GreaterThanOrEqual(pid, Vector512<int>.Zero) & Vector512.LessThan(UniformRow(words, ULoyal * B + v), C(co.PastVoteLoyalty)).AsInt32();
            (voted & Vector512<int>.One).StoreUnsafe(ref pastTurnoutR[v]);
            Vector512.ConditionalSelect(voted, Vector512.ConditionalSelect(loyal, pid, Vector512.LoadUnsafe(ref pastPick[v])), Vector512.Create(-1))
                .StoreUnsafe(ref pastVoteR[v]);
        }
        // Everything into the voter-major columns.
        StoreHalves(lateHalf, 0, 1, lanes, count, e.Interest, i0, buf.Packed);
        StoreHalves(lateHalf, B, 1, lanes, count, e.PartyIdStrength, i0, buf.Packed);
        StoreHalves(lateHalf, 2 * B, 1, lanes, count, e.Persuadability, i0, buf.Packed);
        StoreHalves(lateHalf, 3 * B, 1, lanes, count, e.DigitalFootprint, i0, buf.Packed);
        StoreBytes(pastTurnoutR, 0, count, e.PastTurnout, i0);
        StoreBytes(pastVoteR, 0, count, e.PastVote, i0);
        StoreBytes(p255, XMedia * B, PlatformCount, lanes, count, e.MediaUse, i0, buf.Packed);
        StoreBytes(picks, 0, count, e.TvShow, i0);
        StoreBytes(picks, B, 3, lanes, count, e.HomeProbability, i0, buf.Packed);
        StoreBytes(p255, XPhone * B, count, e.AnswersPhone, i0);
        StoreBytes(p255, XEmail * B, count, e.OpensEmail, i0);
        StoreBytes(p255, XConsumer * B, ConsumerCount, lanes, count, e.ConsumerInterest, i0, buf.Packed);
    }

    // ---- Between the block's rows (row r of voter v at r·VoterBlock + v) and the voter-major columns ----

    /// <summary>
    /// The <paramref name="width"/> Half values per voter of <paramref name="count"/> voters from voter
    /// <paramref name="i0"/> of <paramref name="column"/> as float rows (exactly (float)h): four values per voter read
    /// with one load and split sixteen voters at a time, the remaining ones singly (one value per voter: sixteen
    /// widened at a time). Lanes from count to
    /// <paramref name="lanes"/> get arbitrary values.
    /// </summary>
    internal static void LoadHalves(Half[] column, int i0, int width, int count, int lanes, float[] rows, ulong[] packed)
    {
        if (width == 1) { HalvesToSingles(column.AsSpan(i0, count), rows); return; }
        var src = MemoryMarshal.Cast<Half, ushort>(column.AsSpan(i0 * width, count * width));
        ref byte s0 = ref Unsafe.As<ushort, byte>(ref MemoryMarshal.GetReference(src));
        int full = width / 4;
        var field = Vector512.Create(0xFFFFUL);
        for (int g = 0; g < full; g++)
        {
            for (int v = 0; v < count; v++) packed[v] = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref s0, 2 * (v * width + 4 * g)));
            for (int v = 0; v < lanes; v += 16)
            {
                Vector512<ulong> lo = Vector512.LoadUnsafe(ref packed[v]), hi = Vector512.LoadUnsafe(ref packed[v + 8]);
                for (int f = 0; f < 4; f++)
                    FloatMath.HalfBitsToSingle(Vector512.Narrow(Vector512.ShiftRightLogical(lo, 16 * f) & field, Vector512.ShiftRightLogical(hi, 16 * f) & field))
                        .StoreUnsafe(ref rows[(4 * g + f) * VoterBlock + v]);
            }
        }
        for (int r = 4 * full; r < width; r++)
            for (int v = 0; v < count; v++) rows[r * VoterBlock + v] = (float)BitConverter.UInt16BitsToHalf(src[v * width + r]);
    }

    /// <summary>Halves to floats (exactly), sixteen at a time.</summary>
    private static void HalvesToSingles(ReadOnlySpan<Half> source, Span<float> destination)
    {
        var bits = MemoryMarshal.Cast<Half, ushort>(source);
        int c = 0;
        for (; c + 16 <= bits.Length; c += 16)
            FloatMath.HalfBitsToSingle(Vector512.WidenLower(Vector512.Create(Vector256.Create<ushort>(bits.Slice(c, 16)), Vector256<ushort>.Zero)))
                .CopyTo(destination.Slice(c, 16));
        for (; c < bits.Length; c++) destination[c] = (float)source[c];
    }

    /// <summary>Bytes (or signed bytes) as floats, sixteen at a time widened, the rest singly.</summary>
    internal static void LoadBytes(ReadOnlySpan<byte> source, float[] row, bool signed)
    {
        int v = 0;
        for (; v + 16 <= source.Length; v += 16)
        {
            var b = Vector128.Create(source.Slice(v, 16));
            Vector512<int> x;
            if (signed)
            {
                var sb = b.AsSByte();
                var w = Vector256.Create(Vector128.WidenLower(sb), Vector128.WidenUpper(sb));
                x = Vector512.Create(Vector256.WidenLower(w), Vector256.WidenUpper(w));
            }
            else
            {
                var w = Vector256.Create(Vector128.WidenLower(b), Vector128.WidenUpper(b));
                x = Vector512.Create(Vector256.WidenLower(w), Vector256.WidenUpper(w)).AsInt32();
            }
            Vector512.ConvertToSingle(x).StoreUnsafe(ref row[v]);
        }
        for (; v < source.Length; v++) row[v] = signed ? (sbyte)source[v] : source[v];
    }

    // ---- From the block's rows to the voter-major columns ----

    /// <summary>One row of ints (0–255, or −1 for a signed column) of <paramref name="count"/> voters into a byte
    /// column from voter <paramref name="i0"/>: sixteen at a time narrowed (truncating, as the casts), the rest singly.</summary>
    internal static void StoreBytes(int[] rows, int offset, int count, Span<byte> column, int i0)
    {
        var dst = column.Slice(i0, count);
        int v = 0;
        for (; v + 16 <= count; v += 16)
        {
            var words = Vector512.LoadUnsafe(ref rows[offset + v]).AsUInt32();
            Vector512.Narrow(Vector512.Narrow(words, Vector512<uint>.Zero), Vector512<ushort>.Zero).GetLower().GetLower().StoreUnsafe(ref dst[v]);
        }
        for (; v < count; v++) dst[v] = (byte)rows[offset + v];
    }

    private static void StoreBytes(int[] rows, int offset, int count, sbyte[] column, int i0) =>
        StoreBytes(rows, offset, count, MemoryMarshal.AsBytes(column.AsSpan()), i0);

    /// <summary>
    /// <paramref name="width"/> consecutive rows of ints (0–255) into a byte column holding <paramref name="width"/>
    /// values per voter: four rows at a time packed into one 32-bit word per voter (eight bytes of scratch per voter
    /// in <paramref name="packed"/>) and written with one store, the remaining rows singly.
    /// </summary>
    internal static void StoreBytes(int[] rows, int offset, int width, int lanes, int count, byte[] column, int i0, ulong[] packed)
    {
        var dst = column.AsSpan(i0 * width, count * width);
        ref byte d0 = ref MemoryMarshal.GetReference(dst);
        var quads = MemoryMarshal.Cast<ulong, uint>(packed.AsSpan());
        int full = width / 4;
        for (int g = 0; g < full; g++)
        {
            int o = offset + 4 * g * VoterBlock;
            for (int v = 0; v < lanes; v += 16)
                (Vector512.LoadUnsafe(ref rows[o + v]).AsUInt32()
                 | Vector512.ShiftLeft(Vector512.LoadUnsafe(ref rows[o + VoterBlock + v]).AsUInt32(), 8)
                 | Vector512.ShiftLeft(Vector512.LoadUnsafe(ref rows[o + 2 * VoterBlock + v]).AsUInt32(), 16)
                 | Vector512.ShiftLeft(Vector512.LoadUnsafe(ref rows[o + 3 * VoterBlock + v]).AsUInt32(), 24)).StoreUnsafe(ref quads[v]);
            for (int v = 0; v < count; v++) Unsafe.WriteUnaligned(ref Unsafe.Add(ref d0, v * width + 4 * g), quads[v]);
        }
        for (int r = 4 * full; r < width; r++)
            for (int v = 0; v < count; v++) dst[v * width + r] = (byte)rows[offset + r * VoterBlock + v];
    }

    /// <summary>
    /// <paramref name="width"/> consecutive rows of Half bits into a Half column holding <paramref name="width"/> values
    /// per voter: four rows at a time packed into one 64-bit word per voter and written with one store, the remaining
    /// rows singly (sixteen at a time narrowed where the column holds one value per voter).
    /// </summary>
    internal static void StoreHalves(uint[] rows, int offset, int width, int lanes, int count, Half[] column, int i0, ulong[] packed)
    {
        var dst = MemoryMarshal.Cast<Half, ushort>(column.AsSpan(i0 * width, count * width));
        int v = 0;
        if (width == 1)
        {
            for (; v + 16 <= count; v += 16)
                Vector512.Narrow(Vector512.LoadUnsafe(ref rows[offset + v]), Vector512<uint>.Zero).GetLower().StoreUnsafe(ref dst[v]);
            for (; v < count; v++) dst[v] = (ushort)rows[offset + v];
            return;
        }
        ref byte d0 = ref Unsafe.As<ushort, byte>(ref MemoryMarshal.GetReference(dst));
        int full = width / 4;
        for (int g = 0; g < full; g++)
        {
            int o = offset + 4 * g * VoterBlock;
            for (v = 0; v < lanes; v += 16)
            {
                Vector512<uint> h0 = Vector512.LoadUnsafe(ref rows[o + v]), h1 = Vector512.LoadUnsafe(ref rows[o + VoterBlock + v]),
                    h2 = Vector512.LoadUnsafe(ref rows[o + 2 * VoterBlock + v]), h3 = Vector512.LoadUnsafe(ref rows[o + 3 * VoterBlock + v]);
                (Vector512.WidenLower(h0) | Vector512.ShiftLeft(Vector512.WidenLower(h1), 16) | Vector512.ShiftLeft(Vector512.WidenLower(h2), 32)
                 | Vector512.ShiftLeft(Vector512.WidenLower(h3), 48)).StoreUnsafe(ref packed[v]);
                (Vector512.WidenUpper(h0) | Vector512.ShiftLeft(Vector512.WidenUpper(h1), 16) | Vector512.ShiftLeft(Vector512.WidenUpper(h2), 32)
                 | Vector512.ShiftLeft(Vector512.WidenUpper(h3), 48)).StoreUnsafe(ref packed[v + 8]);
            }
            for (v = 0; v < count; v++) Unsafe.WriteUnaligned(ref Unsafe.Add(ref d0, 2 * (v * width + 4 * g)), packed[v]);
        }
        for (int r = 4 * full; r < width; r++)
            for (v = 0; v < count; v++) dst[v * width + r] = (ushort)rows[offset + r * VoterBlock + v];
    }

    /// <summary>
    /// The saliences of voter <paramref name="voter"/> (lane <paramref name="v"/> of the block) when every one of its K
    /// gammas rounds to 0 in single precision — possible only for a salience concentration below 1, whose gammas all come
    /// from the double-precision sampler of the fallback stream: the same gammas redrawn from that stream, normalised in
    /// double precision (equal shares if even those are all 0). Without it the shares would be 0/0.
    /// </summary>
    private static void TinyGammaShares(ulong seed, int voter, double alpha, int K, int[] rejected, float[] sal, int v)
    {
        Span<double> gamma = stackalloc double[K];
        var retry = new RandomStream(seed, StreamVoterRetry, (ulong)voter);
        double total = 0;
        for (int q = 0; q < K; q++)
        {
            gamma[q] = rejected[q * VoterBlock + v] != 0 ? retry.Gamma(alpha) : 0.0; // an accepted first try here was 0
            total += gamma[q];
        }
        for (int q = 0; q < K; q++) sal[q * VoterBlock + v] = total > 0 ? (float)(gamma[q] / total) : 1f / K;
    }

    /// <summary>Sixteen uniforms in [0, 1) from sixteen consecutive words (lane for lane <see cref="FloatMath.Uniform"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> UniformRow(uint[] words, int offset) =>
        Vector512.ConvertToSingle(Vector512.ShiftRightLogical(Vector512.LoadUnsafe(ref words[offset]), 8).AsInt32()) * Vector512.Create(1f / 16777216f);


    /// <summary>
    /// One Marsaglia–Tsang (2000) trial for Gamma(d + 1/3), c = 1/√(9d), from normals x and open uniforms u, sixteen at a
    /// time: accepted lanes (all bits set in the result) get d·(1 + c·x)³ in <paramref name="value"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> TryGamma(float d, float c, Vector512<float> x, Vector512<float> u, out Vector512<float> value)
    {
        var t = Vector512<float>.One + C(c) * x;
        var v = t * t * t;
        var x2 = x * x;
        var squeeze = Vector512.LessThan(u, Vector512<float>.One - C(0.0331f) * x2 * x2);
        value = C(d) * v;
        var positive = Vector512.GreaterThan(t, Vector512<float>.Zero);
        if (Vector512.EqualsAll(squeeze.AsInt32(), Vector512<int>.AllBitsSet)) return positive; // the full test is not needed
        var full = Vector512.LessThan(FloatMath.Log(u), C(0.5f) * x2 + C(d) * (Vector512<float>.One - v + FloatMath.Log(v)));
        return positive & (squeeze | full);
    }

    /// <summary>
    /// Policy-only logit weights of a block: u_j = (float)(−w Σ_q s_q (x_q − p_jq)² + c_jk) with the squared distance
    /// in single precision and the rest in double (−∞ where party j does not stand in constituency k), then
    /// e^{u_j − max u} (0 for −∞), written to <paramref name="weight"/>[j·VoterBlock + v] for the first
    /// <paramref name="lanes"/> voters, sixteen at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PolicyWeights(VoteModel vm, float[] partyPositions, int k, float[] pos, float[] sal, int K, int lanes, float[] weight)
    {
        const int B = VoterBlock;
        int P = vm.Parties;
        var negW = Vector512.Create(-vm.PolicyWeight);
        for (int v = 0; v < lanes; v += 16)
        {
            var max = Vector512.Create(float.NegativeInfinity);
            for (int j = 0; j < P; j++)
            {
                Vector512<float> u;
                if (!vm.StandsArray[k * P + j]) u = Vector512.Create(float.NegativeInfinity);
                else
                {
                    var d = WeightedDistance(pos, sal, K, v, partyPositions, j);
                    var offset = Vector512.Create(vm.ConstituencyOffsetArray[k * P + j]);
                    u = Vector512.Narrow(negW * Vector512.WidenLower(d) + offset, negW * Vector512.WidenUpper(d) + offset);
                }
                u.StoreUnsafe(ref weight[j * B + v]);
                max = Vector512.Max(max, u);
            }
            ExpWeights(weight, P, v, max);
        }
    }

    /// <summary>Σ_q s_q (x_q − p_jq)² of sixteen voters (rows q·VoterBlock + v of positions and saliences), in single precision.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> WeightedDistance(float[] pos, float[] sal, int K, int v, float[] partyPositions, int j)
    {
        var d = Vector512<float>.Zero;
        for (int q = 0; q < K; q++)
        {
            var diff = Ld(pos, q * VoterBlock + v) - Vector512.Create(partyPositions[j * K + q]);
            d += Ld(sal, q * VoterBlock + v) * diff * diff;
        }
        return d;
    }

    /// <summary>Utilities u (rows j·VoterBlock + v) of sixteen voters replaced by e^{u − max}, or 0 where u = −∞.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ExpWeights(float[] weight, int P, int v, Vector512<float> max)
    {
        for (int j = 0; j < P; j++)
        {
            var u = Ld(weight, j * VoterBlock + v);
            Vector512.ConditionalSelect(Vector512.Equals(u, Vector512.Create(float.NegativeInfinity)), Vector512<float>.Zero, FloatMath.Exp(u - max))
                .StoreUnsafe(ref weight[j * VoterBlock + v]);
        }
    }

    /// <summary>
    /// Multinomial-logit draws of sixteen voters by inversion, from weights stored a row per party
    /// (<paramref name="weight"/>[j·VoterBlock + v], all ≥ 0, at least one positive) and a uniform u per voter: the first
    /// party whose cumulative weight exceeds u·Σ, which is the number of cumulative weights ≤ u·Σ among the first
    /// P − 1 parties (the sums never decrease, and the first to exceed u·Σ has positive weight). Where rounding makes
    /// u·Σ reach Σ, the last party of positive weight. The sums are taken in party order, so each lane is the value of
    /// the plain loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<int> InvertWeights(float[] weight, int v, int parties, Vector512<float> uniform)
    {
        var total = Vector512<float>.Zero;
        var lastPositive = Vector512<int>.Zero;
        for (int j = 0; j < parties; j++)
        {
            var w = Ld(weight, j * VoterBlock + v);
            total += w;
            lastPositive = Vector512.ConditionalSelect(Vector512.GreaterThan(w, Vector512<float>.Zero).AsInt32(), Vector512.Create(j), lastPositive);
        }
        var target = uniform * total;
        var acc = Vector512<float>.Zero; var below = Vector512<int>.Zero;
        for (int j = 0; j < parties - 1; j++)
        {
            acc += Ld(weight, j * VoterBlock + v);
            below -= Vector512.GreaterThanOrEqual(target, acc).AsInt32(); // all bits set = −1 where u·Σ ≥ the sum
        }
        return Vector512.ConditionalSelect(Vector512.LessThan(target, total).AsInt32(), below, lastPositive);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static byte Prob255(float p) => (byte)Math.Clamp((int)MathF.Round(p * 255f), 0, 255);

    /// <summary><see cref="Prob255(float)"/> of sixteen values (round half to even, as MathF.Round), as ints.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<int> Prob255(Vector512<float> p) =>
        Vector512.Min(Vector512.Max(Vector512.ConvertToInt32(Vector512.Round(p * Vector512.Create(255f))), Vector512<int>.Zero), Vector512.Create(255));
}
