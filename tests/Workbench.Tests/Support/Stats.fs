namespace Workbench.Tests

/// Small statistics helpers for seeded statistical tests. Tolerances are named where used.
module Stats =
    let mean (xs: float[]) = Array.average xs

    let variance (xs: float[]) =
        let m = mean xs
        (xs |> Array.sumBy (fun x -> (x - m) * (x - m))) / float (xs.Length - 1)

    /// Standard error of a sample mean of n draws from a distribution with variance v.
    let se (v: float) (n: int) = sqrt (v / float n)

    /// Kolmogorov–Smirnov statistic of a sample against a CDF.
    let ksStatistic (cdf: float -> float) (xs: float[]) =
        let s = Array.sort xs
        let n = float s.Length
        s |> Array.mapi (fun i x ->
                let f = cdf x
                max (abs (float (i + 1) / n - f)) (abs (f - float i / n)))
          |> Array.max

    /// Critical value of the KS statistic at alpha = 0.001 (asymptotic: 1.949 / sqrt n).
    let ksCritical001 (n: int) = 1.949 / sqrt (float n)

    /// Standard normal CDF (Abramowitz & Stegun 7.1.26 erf, |error| < 1.5e-7).
    let normalCdf (x: float) =
        let z = abs x / sqrt 2.0
        let t = 1.0 / (1.0 + 0.3275911 * z)
        let y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp (-z * z)
        0.5 * (1.0 + (if x >= 0.0 then y else -y))
