using Workbench.Random;

namespace Workbench.Experiments;

/// <summary>The sensitivity-analysis methods.</summary>
public enum SensitivityMethod
{
    /// <summary>Variance-based (Sobol') indices from a Saltelli design: first-order S1 and total ST with bootstrap intervals.</summary>
    Sobol,
    /// <summary>Morris elementary-effects screening: μ, μ* and σ per parameter.</summary>
    Morris,
}

/// <summary>
/// The sample points of a sensitivity analysis, in run order: each run's coordinates in the unit cube, its parameter
/// values, and its place in the design (the Saltelli row or Morris trajectory it belongs to, the matrix it comes from,
/// the parameter it varies).
/// </summary>
public sealed class SensitivityDesign
{
    internal SensitivityDesign(SensitivityMethod method, IReadOnlyList<SensitivityParameter> parameters, int samples, int levels, int seed,
        double[][] unit, int[] block, string[] kind, int[] varied)
    {
        Method = method; Parameters = parameters; Samples = samples; Levels = levels; Seed = seed;
        Unit = unit; Block = block; Kind = kind; Varied = varied;
        Values = unit.Select(u => u.Select((x, i) => parameters[i].FromUnit(x)).ToArray()).ToArray();
    }

    /// <summary>Sobol or Morris.</summary>
    public SensitivityMethod Method { get; }
    /// <summary>The parameters, in column order.</summary>
    public IReadOnlyList<SensitivityParameter> Parameters { get; }
    /// <summary>Sobol: the base sample size N (rows of A and B); Morris: the number of trajectories r.</summary>
    public int Samples { get; }
    /// <summary>Morris: the number of grid levels p (0 for Sobol).</summary>
    public int Levels { get; }
    /// <summary>Seed of the Morris trajectories and of the bootstrap.</summary>
    public int Seed { get; }
    /// <summary>Coordinates of each run in the unit cube.</summary>
    public IReadOnlyList<double[]> Unit { get; }
    /// <summary>Parameter values of each run (<see cref="SensitivityParameter.FromUnit"/> of <see cref="Unit"/>).</summary>
    public IReadOnlyList<double[]> Values { get; }
    /// <summary>The Saltelli row (0 … N−1) or Morris trajectory (0 … r−1) of each run.</summary>
    public IReadOnlyList<int> Block { get; }
    /// <summary>Sobol: "A", "AB" or "B"; Morris: "start" or "step".</summary>
    public IReadOnlyList<string> Kind { get; }
    /// <summary>The parameter a run varies (an A_B^(i) column, a Morris step), or −1.</summary>
    public IReadOnlyList<int> Varied { get; }
    /// <summary>Number of model runs: N·(k+2) for Sobol, r·(k+1) for Morris.</summary>
    public int Runs => Unit.Count;
}

/// <summary>First-order and total Sobol' indices of one parameter for one metric, with bootstrap percentile intervals.</summary>
/// <param name="Metric">Metric name.</param><param name="Parameter">Parameter name.</param>
/// <param name="S1">First-order index (share of the output variance explained by this parameter alone).</param>
/// <param name="S1Low">Lower end of the bootstrap interval of S1.</param><param name="S1High">Upper end of the bootstrap interval of S1.</param>
/// <param name="ST">Total index (share of variance involving this parameter, interactions included).</param>
/// <param name="STLow">Lower end of the bootstrap interval of ST.</param><param name="STHigh">Upper end of the bootstrap interval of ST.</param>
public sealed record SobolIndex(string Metric, string Parameter, double S1, double S1Low, double S1High, double ST, double STLow, double STHigh);

/// <summary>Morris elementary-effect statistics of one parameter for one metric (effects per unit of the normalised [0, 1] range).</summary>
/// <param name="Metric">Metric name.</param><param name="Parameter">Parameter name.</param>
/// <param name="Mu">Mean elementary effect (signed; effects of opposite sign cancel).</param>
/// <param name="MuStar">Mean absolute elementary effect (Campolongo et al. 2007): the overall influence.</param>
/// <param name="Sigma">Standard deviation of the elementary effects: non-linearity and interactions.</param>
public sealed record MorrisIndex(string Metric, string Parameter, double Mu, double MuStar, double Sigma);

/// <summary>The distribution of one metric over the runs.</summary>
/// <param name="Metric">Metric name.</param><param name="Mean">Mean over the defined runs.</param>
/// <param name="Variance">Population variance over the defined runs.</param>
/// <param name="Undefined">Runs where the metric is undefined (NaN, e.g. a cost per seat without a seat gain); indices need every run defined.</param>
public sealed record MetricSummary(string Metric, double Mean, double Variance, int Undefined);

/// <summary>
/// Global sensitivity analysis (docs/sensitivity.md): designs, model evaluation and estimators.
/// <list type="bullet">
/// <item>Sobol' indices from the design of A. Saltelli, "Making best use of model evaluations to compute sensitivity
/// indices", Comput. Phys. Commun. 145 (2002) 280–297, and A. Saltelli, P. Annoni, I. Azzini, F. Campolongo, M. Ratto,
/// S. Tarantola, "Variance based sensitivity analysis of model output. Design and estimator for the total sensitivity
/// index", Comput. Phys. Commun. 181 (2010) 259–270: matrices A and B from a 2k-dimensional Sobol' sequence
/// (<see cref="SobolSequence"/>), A_B^(i) = A with column i from B, N·(k+2) runs; first order by the estimator of Saltelli
/// et al. (2010, Table 2 (b)), total by M. J. W. Jansen, "Analysis of variance designs for model output", Comput. Phys.
/// Commun. 117 (1999) 35–43 (Saltelli et al. 2010, Table 2 (f)).</item>
/// <item>Morris screening: M. D. Morris, "Factorial sampling plans for preliminary computational experiments",
/// Technometrics 33 (1991) 161–174 (r one-at-a-time trajectories on a p-level grid, step Δ = p / (2(p − 1))), with μ* of
/// F. Campolongo, J. Cariboni, A. Saltelli, "An effective screening design for sensitivity analysis of large models",
/// Environ. Model. Softw. 22 (2007) 1509–1518.</item>
/// </list>
/// Every random draw (Morris trajectories, bootstrap resamples) comes from a counter-based stream of
/// <see cref="RandomStream"/> keyed by the seed, so results are the same bytes for any thread count.
/// </summary>
public static partial class Sensitivity
{
    /// <summary>Most parameters of a Sobol' analysis (the 2k dimensions of the Saltelli design must fit the embedded direction numbers).</summary>
    public const int MaxSobolParameters = SobolSequence.MaxDimensions / 2;
    /// <summary>Most parameters of a Morris analysis.</summary>
    public const int MaxMorrisParameters = 1000;
    /// <summary>Default number of bootstrap resamples for the Sobol' intervals.</summary>
    public const int DefaultBootstrap = 1000;
    /// <summary>Default Morris grid levels (p = 4 is Morris's and Campolongo et al.'s usual choice).</summary>
    public const int DefaultLevels = 4;
    private const uint MorrisStream = StreamIds.SensitivityMorris, BootstrapStream = StreamIds.SensitivityBootstrap;

    /// <summary>
    /// The Saltelli design with base sample <paramref name="n"/>: for each row j = 0 … N−1 (Sobol' point j + 1 in 2k
    /// dimensions, the origin skipped), the runs A_j, A_B^(1)_j … A_B^(k)_j, B_j, in that order.
    /// </summary>
    /// <param name="parameters">The k parameters (1 … <see cref="MaxSobolParameters"/>).</param>
    /// <param name="n">Base sample size N (2 … 2^20; powers of two keep the Sobol' points balanced).</param>
    /// <param name="seed">Seed of the bootstrap resamples (the design itself is deterministic).</param>
    public static SensitivityDesign SaltelliDesign(IReadOnlyList<SensitivityParameter> parameters, int n, int seed = Seeds.Default)
    {
        int k = CheckParameters(parameters, MaxSobolParameters);
        if (n < 2 || n > 1 << 20) throw new ArgumentOutOfRangeException(nameof(n), n, "the base sample size N must be between 2 and 1,048,576.");
        var sobol = new SobolSequence(2 * k);
        int per = k + 2, runs = n * per;
        var unit = new double[runs][]; var block = new int[runs]; var kind = new string[runs]; var varied = new int[runs];
        var point = new double[2 * k];
        for (int j = 0; j < n; j++)
        {
            sobol.Fill(j + 1, point);
            var a = point[..k]; var b = point[k..];
            int at = j * per;
            (unit[at], kind[at], varied[at]) = (a, "A", -1);
            for (int i = 0; i < k; i++)
            {
                var ab = (double[])a.Clone(); ab[i] = b[i];
                (unit[at + 1 + i], kind[at + 1 + i], varied[at + 1 + i]) = (ab, "AB", i);
            }
            (unit[at + per - 1], kind[at + per - 1], varied[at + per - 1]) = (b, "B", -1);
            for (int q = 0; q < per; q++) block[at + q] = j;
        }
        return new SensitivityDesign(SensitivityMethod.Sobol, parameters, n, 0, seed, unit, block, kind, varied);
    }

    /// <summary>
    /// Morris's design: <paramref name="r"/> trajectories of k + 1 points on a <paramref name="levels"/>-level grid in the
    /// unit cube. Each starts at a random grid point from which every coordinate can move by Δ = p / (2(p − 1)), then moves
    /// one parameter at a time, in a random order and a random direction, by Δ.
    /// </summary>
    /// <param name="parameters">The k parameters (1 … <see cref="MaxMorrisParameters"/>).</param>
    /// <param name="r">Trajectories (2 … 100,000).</param>
    /// <param name="levels">Grid levels p (even, 2 … 100).</param>
    /// <param name="seed">Seed of the trajectories.</param>
    public static SensitivityDesign MorrisDesign(IReadOnlyList<SensitivityParameter> parameters, int r, int levels = DefaultLevels, int seed = Seeds.Default)
    {
        int k = CheckParameters(parameters, MaxMorrisParameters);
        if (r < 2 || r > 100_000) throw new ArgumentOutOfRangeException(nameof(r), r, "the number of trajectories r must be between 2 and 100,000.");
        if (levels < 2 || levels > 100 || levels % 2 != 0) throw new ArgumentOutOfRangeException(nameof(levels), levels, "the grid levels p must be an even number between 2 and 100.");
        double delta = levels / (2.0 * (levels - 1));
        int per = k + 1, runs = r * per;
        var unit = new double[runs][]; var block = new int[runs]; var kind = new string[runs]; var varied = new int[runs];
        for (int t = 0; t < r; t++)
        {
            var rng = new RandomStream(Seeds.Resolve(seed), MorrisStream, (ulong)t);
            var x = new double[k]; var dir = new int[k];
            for (int i = 0; i < k; i++)
            {
                double b = rng.NextInt(levels / 2) / (double)(levels - 1);
                dir[i] = rng.NextDouble() < 0.5 ? 1 : -1;
                x[i] = dir[i] > 0 ? b : b + delta;
            }
            var order = Enumerable.Range(0, k).ToArray();
            for (int i = k - 1; i > 0; i--) { int s = rng.NextInt(i + 1); (order[i], order[s]) = (order[s], order[i]); }
            int at = t * per;
            (unit[at], kind[at], varied[at], block[at]) = ((double[])x.Clone(), "start", -1, t);
            for (int s = 0; s < k; s++)
            {
                int i = order[s];
                x[i] = Math.Clamp(x[i] + dir[i] * delta, 0, 1);
                (unit[at + 1 + s], kind[at + 1 + s], varied[at + 1 + s], block[at + 1 + s]) = ((double[])x.Clone(), "step", i, t);
            }
        }
        return new SensitivityDesign(SensitivityMethod.Morris, parameters, r, levels, seed, unit, block, kind, varied);
    }

    /// <summary>
    /// Runs <paramref name="model"/> on every point of the design (parameter values in, metric values out), in parallel;
    /// the outputs are in run order whatever the thread count. Every call must return <paramref name="metrics"/> values.
    /// </summary>
    public static double[][] Evaluate(SensitivityDesign design, int metrics, Func<double[], double[]> model, int? threads = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(design); ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(metrics, 1);
        var outputs = new double[design.Runs][];
        var options = new ParallelOptions { MaxDegreeOfParallelism = DeterministicParallel.ResolveThreads(threads), CancellationToken = cancellationToken };
        Parallel.For(0, design.Runs, options, run =>
        {
            var y = model((double[])design.Values[run].Clone());
            if (y is null || y.Length != metrics) throw new InvalidOperationException($"The model returned {y?.Length ?? 0} value(s) for run {run}; expected {metrics} (one per metric).");
            outputs[run] = (double[])y.Clone();
        });
        return outputs;
    }

    /// <summary>Evaluates a closed-form model on the design and analyses it: the one call for a function of the parameters.</summary>
    public static SensitivityResult Analyse(SensitivityDesign design, IReadOnlyList<string> metrics, Func<double[], double[]> model,
        int bootstrap = DefaultBootstrap, double confidence = 0.95, int? threads = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var outputs = Evaluate(design, metrics.Count, model, threads);
        return Analyse(design, metrics, outputs, bootstrap, confidence, threads);
    }

    /// <summary>Computes the indices of the design's method from the outputs (one row per run, one value per metric).</summary>
    public static SensitivityResult Analyse(SensitivityDesign design, IReadOnlyList<string> metrics, IReadOnlyList<double[]> outputs,
        int bootstrap = DefaultBootstrap, double confidence = 0.95, int? threads = null)
    {
        ArgumentNullException.ThrowIfNull(design); ArgumentNullException.ThrowIfNull(metrics); ArgumentNullException.ThrowIfNull(outputs);
        if (outputs.Count != design.Runs) throw new ArgumentException($"outputs has {outputs.Count} rows; the design has {design.Runs} runs.", nameof(outputs));
        if (outputs.Any(o => o.Length != metrics.Count)) throw new ArgumentException($"every output row needs {metrics.Count} value(s), one per metric.", nameof(outputs));
        if (bootstrap < 0 || bootstrap > 100_000) throw new ArgumentOutOfRangeException(nameof(bootstrap), bootstrap, "bootstrap resamples must be between 0 and 100,000.");
        if (!(confidence > 0 && confidence < 1)) throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "confidence must be between 0 and 1 (exclusive).");
        var summaries = new List<MetricSummary>(); var sobol = new List<SobolIndex>(); var morris = new List<MorrisIndex>();
        for (int m = 0; m < metrics.Count; m++)
        {
            var y = outputs.Select(o => o[m]).ToArray();
            var defined = y.Where(double.IsFinite).ToArray();
            double mean = defined.Length > 0 ? defined.Average() : double.NaN;
            double variance = defined.Length > 0 ? defined.Sum(v => (v - mean) * (v - mean)) / defined.Length : double.NaN;
            summaries.Add(new MetricSummary(metrics[m], mean, variance, y.Length - defined.Length));
            bool usable = defined.Length == y.Length;
            if (design.Method == SensitivityMethod.Sobol) sobol.AddRange(SobolIndices(design, metrics[m], y, usable, bootstrap, confidence, threads));
            else morris.AddRange(MorrisIndices(design, metrics[m], y, usable));
        }
        return new SensitivityResult(design, metrics, outputs, summaries, sobol, morris, bootstrap, confidence);
    }

    private static int CheckParameters(IReadOnlyList<SensitivityParameter> parameters, int max)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count < 1 || parameters.Count > max) throw new ArgumentOutOfRangeException(nameof(parameters), parameters.Count, $"the analysis needs between 1 and {max} parameters.");
        Workbench.Parameters.ThrowIfAny(parameters.SelectMany((p, i) => p.Validate($"$.parameters[{i}]")).ToArray());
        return parameters.Count;
    }
}
