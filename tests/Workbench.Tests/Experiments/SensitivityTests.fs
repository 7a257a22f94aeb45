/// Global sensitivity analysis (docs/sensitivity.md): the Sobol' sequence against its published first points and the
/// structure of the Joe & Kuo direction numbers, Sobol' indices against the analytic values of the Ishigami and G
/// functions, bootstrap intervals, Morris screening, determinism across threads, the parameters file and explicit sweep points.
module Workbench.Tests.Experiments.SensitivityTests

open System
open Expecto
open Workbench
open Workbench.Experiments

let private uniform name low high = SensitivityParameter(name, "", low, high)

/// Ishigami & Homma (1990) with a = 7, b = 0.1 on [−π, π]³; analytic variances from Sobol' & Levitan (1999) and Saltelli et al. (2008, Global Sensitivity Analysis. The Primer, §4.9).
let private a, b = 7.0, 0.1
let private ishigami (x: float[]) = [| sin x.[0] + a * (sin x.[1]) ** 2.0 + b * x.[2] ** 4.0 * sin x.[0] |]
let private ishigamiAnalytic =
    let pi4, pi8 = Math.PI ** 4.0, Math.PI ** 8.0
    let v1 = 0.5 * (1.0 + b * pi4 / 5.0) ** 2.0
    let v2 = a * a / 8.0
    let v13 = b * b * pi8 * (1.0 / 18.0 - 1.0 / 50.0)
    let v = v1 + v2 + v13
    [| v1 / v; v2 / v; 0.0 |], [| (v1 + v13) / v; v2 / v; v13 / v |]
let private ishigamiParameters = [ for i in 1..3 -> uniform (sprintf "x%d" i) (-Math.PI) Math.PI ] |> ResizeArray

/// Sobol' G function (Saltelli & Sobol' 1995): g = Π (|4x − 2| + aᵢ)/(1 + aᵢ) on [0, 1]^k. Vᵢ = 1/(3(1 + aᵢ)²),
/// V = Π(1 + Vᵢ) − 1, Sᵢ = Vᵢ/V, STᵢ = Vᵢ Π_{j≠i}(1 + Vⱼ)/V.
let private gA = [| 0.0; 1.0; 4.5; 9.0; 99.0; 99.0 |]
let private gFunction (x: float[]) = [| Array.fold2 (fun acc xi ai -> acc * (abs (4.0 * xi - 2.0) + ai) / (1.0 + ai)) 1.0 x gA |]
let private gAnalytic =
    let vi = gA |> Array.map (fun ai -> 1.0 / (3.0 * (1.0 + ai) ** 2.0))
    let v = (vi |> Array.fold (fun acc x -> acc * (1.0 + x)) 1.0) - 1.0
    let st = vi |> Array.mapi (fun i x -> x * (vi |> Array.mapi (fun j y -> if i = j then 1.0 else 1.0 + y) |> Array.fold (*) 1.0) / v)
    vi |> Array.map (fun x -> x / v), st
let private gParameters = [ for i in 1..6 -> uniform (sprintf "x%d" i) 0.0 1.0 ] |> ResizeArray

/// Base sample and tolerance of the Sobol' checks: N = 8192 (40,960 Ishigami runs, 65,536 G runs); the estimators of
/// Saltelli et al. (2010) are within about 0.01 of the analytic indices there, so 0.02 leaves room and still fails a wrong estimator.
let private n = 8192
let private tolerance = 0.02

let private ishigamiResult = lazy (Sensitivity.Analyse(Sensitivity.SaltelliDesign(ishigamiParameters, n, 42), [| "y" |], Func<_, _> ishigami, threads = Nullable 2))
let private gResult = lazy (Sensitivity.Analyse(Sensitivity.SaltelliDesign(gParameters, n, 42), [| "g" |], Func<_, _> gFunction, threads = Nullable 2))

let private checkIndices (result: SensitivityResult) (s1: float[]) (st: float[]) =
    for i, idx in Seq.indexed result.Sobol do
        printfn "%s: S1 %.4f [%.4f, %.4f] (analytic %.4f); ST %.4f [%.4f, %.4f] (analytic %.4f)" idx.Parameter idx.S1 idx.S1Low idx.S1High s1.[i] idx.ST idx.STLow idx.STHigh st.[i]
        Expect.floatClose { absolute = tolerance; relative = 0.0 } idx.S1 s1.[i] (sprintf "%s: S1 within %g of %g" idx.Parameter tolerance s1.[i])
        Expect.floatClose { absolute = tolerance; relative = 0.0 } idx.ST st.[i] (sprintf "%s: ST within %g of %g" idx.Parameter tolerance st.[i])

let private checkCoverage (result: SensitivityResult) (s1: float[]) (st: float[]) =
    for i, idx in Seq.indexed result.Sobol do
        Expect.isTrue (idx.S1Low <= s1.[i] && s1.[i] <= idx.S1High) (sprintf "%s: the S1 interval [%g, %g] covers %g" idx.Parameter idx.S1Low idx.S1High s1.[i])
        Expect.isTrue (idx.STLow <= st.[i] && st.[i] <= idx.STHigh) (sprintf "%s: the ST interval [%g, %g] covers %g" idx.Parameter idx.STLow idx.STHigh st.[i])
        Expect.isLessThan (idx.S1High - idx.S1Low) 0.1 (sprintf "%s: the S1 interval is informative (narrower than 0.1)" idx.Parameter)

/// True when x^s + (bits of a) + 1 is primitive over GF(2): x has order 2^s − 1 modulo the polynomial.
let private primitive (s: int) (a: int) =
    let p = (1L <<< s) ||| (int64 a <<< 1) ||| 1L
    let mulmod (u: int64) (v: int64) =
        let mutable r, u, v = 0L, u, v
        while v <> 0L do
            if v &&& 1L <> 0L then r <- r ^^^ u
            v <- v >>> 1
            u <- u <<< 1
            if u &&& (1L <<< s) <> 0L then u <- u ^^^ p
        r
    let rec pow (x: int64) (e: int64) = if e = 0L then 1L elif e % 2L = 0L then (let h = pow x (e / 2L) in mulmod h h) else mulmod x (pow x (e - 1L))
    let order = (1L <<< s) - 1L
    let factors = [ for q in 2L .. order do if order % q = 0L && Seq.forall (fun d -> q % d <> 0L) [ 2L .. int64 (sqrt (float q)) ] then yield q ]
    let x = if s = 1 then 2L ^^^ p else 2L // x mod p (for degree 1, x ≡ 1)
    pow x order = 1L && factors |> List.forall (fun q -> pow x (order / q) <> 1L)

/// The exception of type 'e that f throws (fails the test when it throws none).
let private catchEx<'e when 'e :> exn> (f: unit -> unit) : 'e =
    try
        f ()
        failtestf "expected %s" typeof<'e>.Name
    with :? 'e as ex -> ex

let private tables (r: SensitivityResult) = r.RunsTable().ToCsv(), r.IndicesTable().ToCsv(), r.Summary().ToJsonString()

[<Tests>]
let tests =
    testList "Experiments.Sensitivity" [
        test "the Sobol' sequence starts with its published points (Joe & Kuo's program, Gray-code order)" {
            let expected =
                [| [| 0.0; 0.0; 0.0 |]; [| 0.5; 0.5; 0.5 |]; [| 0.75; 0.25; 0.25 |]; [| 0.25; 0.75; 0.75 |]
                   [| 0.375; 0.375; 0.625 |]; [| 0.875; 0.875; 0.125 |]; [| 0.625; 0.125; 0.875 |]; [| 0.125; 0.625; 0.375 |]
                   [| 0.1875; 0.3125; 0.9375 |] |]
            let points = SobolSequence(3).Points(0L, expected.Length)
            for i in 0 .. expected.Length - 1 do Expect.sequenceEqual points.[i] expected.[i] (sprintf "point %d" i)
            Expect.sequenceEqual (SobolSequence(2).Point(2L)) [| 0.75; 0.25 |] "point 2 in two dimensions"
        }
        test "the embedded direction numbers are new-joe-kuo-6.21201's: primitive polynomials, odd m_k below 2^k, 64 dimensions" {
            let table = SobolSequence.Table
            Expect.equal table.Count (SobolSequence.MaxDimensions - 1) "one row per dimension after the first"
            let mutable last = (0, -1)
            for i, row in Seq.indexed table do
                let struct (s, a, m) = row
                Expect.equal m.Length s (sprintf "row %d: s initial numbers" (i + 2))
                Expect.isTrue (primitive s a) (sprintf "dimension %d: x^%d with inner coefficients %d is primitive" (i + 2) s a)
                m |> Array.iteri (fun k mk -> Expect.isTrue (mk % 2 = 1 && mk < (1 <<< (k + 1))) (sprintf "dimension %d: m_%d = %d is odd and below 2^%d" (i + 2) (k + 1) mk (k + 1)))
                Expect.isTrue ((s, a) > last) (sprintf "dimension %d: polynomials in order of degree, then coefficients" (i + 2))
                last <- (s, a)
            // Every one-dimensional projection of the first 2^10 points puts exactly one point in each interval of width 2^-10.
            let pts = SobolSequence(SobolSequence.MaxDimensions).Points(0L, 1024)
            for d in 0 .. SobolSequence.MaxDimensions - 1 do
                let cells = pts |> Array.map (fun p -> int (p.[d] * 1024.0)) |> Array.distinct
                Expect.equal cells.Length 1024 (sprintf "dimension %d is stratified" (d + 1))
        }
        test "a wrong polynomial is not primitive (the check above can fail)" {
            Expect.isFalse (primitive 4 2) "x^4 + x^2 + 1 = (x^2 + x + 1)^2 is not primitive"
            Expect.isTrue (primitive 4 1) "x^4 + x + 1 is"
        }
        test "the Saltelli design has N·(k+2) runs: A, A_B^(i) (A with column i from B), B" {
            let d = Sensitivity.SaltelliDesign(ishigamiParameters, 16)
            Expect.equal d.Runs (16 * 5) "N·(k+2)"
            for j in 0 .. 15 do
                let at = j * 5
                let A, B = d.Unit.[at], d.Unit.[at + 4]
                Expect.equal (d.Kind.[at], d.Kind.[at + 4]) ("A", "B") "A first, B last"
                for i in 0 .. 2 do
                    let ab = d.Unit.[at + 1 + i]
                    Expect.equal d.Varied.[at + 1 + i] i "A_B^(i) varies i"
                    for c in 0 .. 2 do Expect.equal ab.[c] (if c = i then B.[c] else A.[c]) (sprintf "row %d, A_B^(%d) column %d" j i c)
                let p = SobolSequence(6).Point(int64 (j + 1))
                Expect.sequenceEqual (Array.append A B) p "A and B are the two halves of Sobol' point j + 1"
        }
        test "Ishigami (a = 7, b = 0.1): S1 ≈ (0.3139, 0.4424, 0), ST ≈ (0.5576, 0.4424, 0.2437) at N = 8192, within 0.02" {
            let s1, st = ishigamiAnalytic
            Expect.floatClose Accuracy.low s1.[0] 0.3139 "analytic S1 of x1 (Saltelli et al. 2008)"
            Expect.floatClose Accuracy.low st.[2] 0.2437 "analytic ST of x3"
            checkIndices ishigamiResult.Value s1 st
        }
        test "Sobol' G function, a = (0, 1, 4.5, 9, 99, 99): S1 and ST within 0.02 of the closed form at N = 8192" {
            let s1, st = gAnalytic
            checkIndices gResult.Value s1 st
        }
        test "bootstrap percentile intervals cover the analytic indices (Ishigami and G)" {
            let s1, st = ishigamiAnalytic
            checkCoverage ishigamiResult.Value s1 st
            let g1, gt = gAnalytic
            checkCoverage gResult.Value g1 gt
        }
        test "Morris ranks the Ishigami inputs: x1 and x2 above x3, a dummy input last with μ* = 0; σ(x3) ≫ |μ(x3)| (interaction only)" {
            let ps = ResizeArray(Seq.append ishigamiParameters [ uniform "dummy" 0.0 1.0 ])
            let r = Sensitivity.Analyse(Sensitivity.MorrisDesign(ps, 1000, 4, 7), [| "y" |], Func<_, _> (fun (x: float[]) -> ishigami x.[0..2]))
            let m = r.Morris |> Seq.map (fun x -> x.Parameter, x) |> Map.ofSeq
            for x in r.Morris do printfn "%s: mu %.3f mu* %.3f sigma %.3f" x.Parameter x.Mu x.MuStar x.Sigma
            Expect.isGreaterThan m.["x1"].MuStar m.["x3"].MuStar "x1 above x3"
            Expect.isGreaterThan m.["x2"].MuStar m.["x3"].MuStar "x2 above x3"
            Expect.isGreaterThan m.["x3"].MuStar 0.0 "x3 matters through its interaction with x1"
            Expect.equal m.["dummy"].MuStar 0.0 "the dummy input has no effect"
            Expect.isGreaterThan m.["x3"].Sigma (3.0 * abs m.["x3"].Mu) "x3 acts only through an interaction: effects of both signs"
        }
        test "Morris on a linear function: every elementary effect is the slope times the range (μ = μ* = |slope|, σ = 0)" {
            let ps = ResizeArray [ uniform "a" 0.0 2.0; uniform "b" 10.0 20.0 ]
            let r = Sensitivity.Analyse(Sensitivity.MorrisDesign(ps, 10, 6, 3), [| "y" |], Func<_, _> (fun (x: float[]) -> [| 3.0 * x.[0] - 0.5 * x.[1] |]))
            let ma, mb = r.Morris.[0], r.Morris.[1]
            Expect.floatClose Accuracy.high ma.Mu 6.0 "3 per unit × range 2"
            Expect.floatClose Accuracy.high mb.Mu -5.0 "−0.5 per unit × range 10"
            Expect.floatClose Accuracy.high mb.MuStar 5.0 "μ* = |μ|"
            Expect.isLessThan ma.Sigma 1e-9 "no spread"
            Expect.equal r.Design.Runs (10 * 3) "r·(k+1) runs"
            for run in 0 .. r.Design.Runs - 1 do
                for c in 0 .. 1 do
                    let u = r.Design.Unit.[run].[c] * 5.0
                    Expect.floatClose Accuracy.veryHigh u (round u) "every point lies on the 6-level grid"
        }
        test "same seed, same bytes for 1 and 2 threads; another seed changes the bootstrap intervals" {
            let run seed threads =
                tables (Sensitivity.Analyse(Sensitivity.SaltelliDesign(ishigamiParameters, 256, seed), [| "y" |], Func<_, _> ishigami, threads = Nullable threads))
            let one, two = run 5 1, run 5 2
            Expect.equal two one "Sobol': 1 and 2 threads"
            let (_, other, _) = run 6 2
            let (_, first, _) = one
            Expect.notEqual other first "another seed resamples other rows"
            let morris seed threads = tables (Sensitivity.Analyse(Sensitivity.MorrisDesign(ishigamiParameters, 20, 4, seed), [| "y" |], Func<_, _> ishigami, threads = Nullable threads))
            Expect.equal (morris 5 2) (morris 5 1) "Morris: 1 and 2 threads"
            Expect.notEqual (morris 6 1) (morris 5 1) "another seed draws other trajectories"
        }
        test "charts: Sobol' S1 and ST bars with asymmetric interval error bars; a Morris tornado of μ* and σ; an offline page" {
            let fig = Plotly.NET.GenericChart.toFigureJson (Charts.SobolIndices(ishigamiResult.Value, "y"))
            Expect.equal (fig.Split("\"error_y\":{\"visible\":true").Length - 1) 2 "one error-bar set per bar trace (S1, ST)"
            Expect.stringContains fig "\"symmetric\":false" "asymmetric percentile intervals"
            for p in [ "x1"; "x2"; "x3" ] do Expect.stringContains fig (sprintf "\"%s\"" p) "every parameter on the axis"
            Expect.throwsT<ArgumentException> (fun () -> Charts.SobolIndices(ishigamiResult.Value, "nope") |> ignore) "an unknown metric is named"
            let morris = Sensitivity.Analyse(Sensitivity.MorrisDesign(ishigamiParameters, 10), [| "y" |], Func<_, _> ishigami)
            let mfig = Plotly.NET.GenericChart.toFigureJson (Charts.MorrisScreening(morris, "y"))
            Expect.stringContains mfig "\"orientation\":\"h\"" "horizontal bars (a tornado)"
            let page = Charts.Page("t", morris.Charts())
            Expect.stringContains page "Plotly.newPlot('chart0'" "the chart is drawn by the inlined plotly.js"
            Expect.isFalse (page.Contains "<script src=") "no script loaded from the network: plotly.js is inlined"
        }
        test "a metric undefined in some run or constant over all gets no indices (NaN), and the summary says why" {
            let r = Sensitivity.Analyse(Sensitivity.SaltelliDesign(ishigamiParameters, 8), [| "nan"; "flat" |], Func<_, _> (fun (x: float[]) -> [| (if x.[0] > 0.0 then nan else 1.0); 3.0 |]))
            Expect.isTrue (r.Sobol |> Seq.forall (fun s -> Double.IsNaN s.S1 && Double.IsNaN s.ST)) "no indices"
            let s = r.Summary()
            Expect.stringContains (s.["metrics"].[0].["note"].GetValue<string>()) "undefined in" "undefined runs named"
            Expect.stringContains (s.["metrics"].[1].["note"].GetValue<string>()) "constant" "constant metric named"
        }
        test "log-uniform and integer parameters map the unit interval onto their ranges" {
            let lg = SensitivityParameter("x", "p", 10.0, 1000.0, SensitivityDistribution.LogUniform)
            Expect.floatClose Accuracy.high (lg.FromUnit 0.5) 100.0 "the geometric midpoint"
            Expect.equal (lg.FromUnit 1.0) 1000.0 "the top"
            let i = SensitivityParameter("n", "p", 1.0, 4.0, Integer = true)
            let counts = [| for k in 0 .. 999 -> i.FromUnit((float k + 0.5) / 1000.0) |] |> Array.countBy id |> Map.ofArray
            Expect.equal counts (Map.ofList [ 1.0, 250; 2.0, 250; 3.0, 250; 4.0, 250 ]) "each whole number equally likely"
            Expect.equal (i.FromUnit 1.0) 4.0 "u = 1 gives the top value"
        }
        test "the parameters file is validated with JSON paths, the bad value and the valid range" {
            let errors json =
                try SensitivitySpec.Parse json |> ignore; []
                with :? SpecValidationException as ex -> [ for e in ex.Errors -> e.Path + ": " + e.Message ]
            let has (errs: string list) (path: string) (text: string) =
                Expect.isTrue (errs |> List.exists (fun e -> e.StartsWith(path + ":") && e.Contains text)) (sprintf "an error at %s containing '%s' in %A" path text errs)
            has (errors """{ "parameters": [] }""") "$.parameters" "non-empty"
            let e = errors """{ "parameters": [ { "path": "a.b", "low": 5, "high": 1 }, { "path": "a.c", "low": 0, "high": 1, "distribution": "loguniform" },
                                               { "path": "a.d", "low": 0.5, "high": 2, "integer": true }, { "path": "9x", "low": 0, "high": 1, "colour": 1 } ],
                                "metrics": [ 3 ], "replicates": 0, "extra": 1 }"""
            has e "$.parameters[0].high" "must be above low (5); got 1"
            has e "$.parameters[1].low" "loguniform range needs low > 0; got 0"
            has e "$.parameters[2]" "whole-number low and high; got 0.5 and 2"
            has e "$.parameters[3].path" "a path like"
            has e "$.parameters[3].colour" "unknown field"
            has e "$.metrics[0]" "metric is a name"
            has e "$.replicates" "between 1 and 1000; got 0"
            has e "$.extra" "unknown field"
            has (errors """{ "parameters": [ { "name": "x", "path": "a", "low": 0, "high": 1 }, { "name": "x", "path": "b", "low": 0, "high": 1 } ] }""") "$.parameters" "'x' is used twice"
            has (errors """{ "parameters": [ { "name": "seats", "path": "a", "low": 0, "high": 1 } ] }""") "$.parameters[0].name" "column of the results"
            let ok = SensitivitySpec.Parse """{ "parameters": [ { "name": "b", "path": "arms[0].campaigns[0].budget", "low": 1000, "high": 9000, "integer": true, "comment": "why" } ], "metrics": [ "seatGain:Red:FPTP" ] }"""
            Expect.equal ok.Parameters.[0] (SensitivityParameter("b", "arms[0].campaigns[0].budget", 1000.0, 9000.0, SensitivityDistribution.Uniform, true, "why")) "parsed"
            Expect.sequenceEqual ok.Metrics [ "seatGain:Red:FPTP" ] "metrics"
        }
        test "a range left out defaults to the documented range of the parameter the path names, and the comment says so" {
            let spec = SensitivitySpec.Parse """{ "parameters": [
                { "name": "marginSd", "path": "arms[0].campaigns[0].marginUncertainty" },
                { "name": "cap", "path": "regulation.silenceDays", "low": 1 },
                { "name": "ads", "path": "channels[0].persuasionEffect", "high": 0.01, "comment": "why" } ] }"""
            let p = spec.Parameters
            let doc (t: Type) name = t.GetProperty(name).GetCustomAttributes(typeof<Workbench.ParamAttribute>, false).[0] :?> Workbench.ParamAttribute
            let margin = doc typeof<Workbench.Campaigns.CampaignSpec> "MarginUncertainty"
            Expect.equal (p.[0].Low, p.[0].High) (margin.Min, margin.Max) "both bounds from CampaignSpec's [Param]"
            Expect.stringContains p.[0].Comment "low and high from the documented range of CampaignSpec.marginUncertainty" "said in the comment"
            Expect.equal (p.[1].Low, p.[1].High) (1.0, (doc typeof<Workbench.Regulation.RegulationSpec> "SilenceDays").Max) "the given bound is kept"
            Expect.equal p.[2].Low (doc typeof<Workbench.Behaviour.ChannelSpec> "PersuasionEffect").Min "through a list of channels"
            Expect.stringStarts p.[2].Comment "why (low from" "appended to the comment"
            let errors json =
                try SensitivitySpec.Parse json |> ignore; []
                with :? SpecValidationException as ex -> [ for e in ex.Errors -> e.Path + ": " + e.Message ]
            Expect.equal (errors """{ "parameters": [ { "path": "voters", "integer": true } ] }""")
                [ "$.parameters[0].low: required: a number; got nothing."; "$.parameters[0].high: required: a number; got nothing." ] "no documented range: still required"
            Expect.equal (errors """{ "parameters": [ { "path": "arms[0].campaigns[0].nothing", "low": 1 } ] }""")
                [ "$.parameters[0].high: required: a number; got nothing." ] "a path naming no parameter"
        }
        test "the parameters file is read through its contract and still reports every problem at once, in order, word for word" {
            let errors json =
                try SensitivitySpec.Parse json |> ignore; []
                with :? SpecValidationException as ex -> [ for e in ex.Errors -> e.Path + ": " + e.Message ]
            Expect.isTrue (Json.JsonInput.IsSourceGenerated ExperimentsJson.Contract.SensitivityFileContract) "a generated contract"
            Expect.equal (errors """{ "parameters": [ { "path": 5, "name": 3, "low": "1", "high": null, "distribution": 7, "integer": "yes", "comment": 5 } ] }""")
                [ "$.parameters[0].path: required: where the value goes in the scenario, a path like \"arms[0].campaigns[0].budget\"; got 5."
                  "$.parameters[0].name: must be a string."
                  "$.parameters[0].low: required: a number; got \"1\"."
                  "$.parameters[0].high: required: a number; got nothing."
                  "$.parameters[0].distribution: must be \"uniform\" or \"loguniform\"; got 7."
                  "$.parameters[0].integer: must be true or false; got \"yes\"." ] "values of the wrong kind"
            Expect.equal (errors """{ "parameters": [ { "path": "a.b", "low": 5, "high": 1 }, { "path": "9x", "low": 0, "high": 1, "colour": 1 }, 4 ],
                                      "metrics": [ "", "x", 4 ], "replicates": 1e3, "patch": [ 1 ], "description": 5, "extra": null }""")
                [ "$.extra: unknown field; known fields: description, patch, parameters, metrics, replicates."
                  "$.parameters[0].high: must be above low (5); got 1."
                  "$.parameters[1].colour: unknown field; known: name, path, low, high, distribution, integer, comment."
                  "$.parameters[1].path: required: where the value goes in the scenario, a path like \"arms[0].campaigns[0].budget\"; got \"9x\"."
                  "$.parameters[2]: each parameter is an object { name, path, low, high, distribution?, integer?, comment? }."
                  "$.metrics[0]: each metric is a name such as \"seatGain:Red:FPTP\"."
                  "$.metrics[2]: each metric is a name such as \"seatGain:Red:FPTP\"."
                  "$.replicates: must be a whole number between 1 and 1000; got 1e3."
                  "$.patch: must be an object (a JSON merge patch of the scenario)."
                  "$.description: must be a string." ] "every problem, in the parser's order"
            let nulls = SensitivitySpec.Parse """{ "parameters": [ { "path": "a", "low": 1, "high": 2, "distribution": null, "integer": null, "name": null, "comment": null } ], "description": null, "patch": null, "metrics": null, "replicates": null }"""
            Expect.equal nulls.Parameters.[0] (SensitivityParameter("a", "a", 1.0, 2.0)) "a null field is absent"
            Expect.equal (nulls.Replicates, nulls.Description, isNull nulls.Patch, nulls.Metrics.Count) (1, "", true, 0) "absent top-level fields take their defaults"
        }
        test "a sweep with explicit points runs those points, in order, as its variants; malformed points are named" {
            let json = """{ "base": "classroom", "parameters": [ { "name": "budget", "path": "arms[0].campaigns[0].budget" }, { "name": "regime", "path": "regime" } ],
                            "points": [ [ 20000, "eu-gdpr" ], [ 5000, "us-like" ], [ 20000, "eu-gdpr" ] ], "replicates": 2 }"""
            let spec = SweepSpec.Parse json
            Expect.equal spec.Variants.Count 3 "one variant per point, repeats allowed"
            Expect.equal spec.ItemCount 6 "× 2 replicates"
            Expect.equal spec.Variants.[1].Scenario.Arms.[0].Campaigns.[0].Budget 5000.0 "point 1's budget"
            Expect.equal spec.Variants.[1].Scenario.EffectiveRegime.Name "us-like" "point 1's regime"
            let bad = """{ "base": "classroom", "parameters": [ { "path": "regime" } ], "points": [ [ "eu-gdpr", 1 ] ] }"""
            let ex = catchEx<SpecValidationException> (fun () -> SweepSpec.Parse bad |> ignore)
            Expect.isTrue (ex.Errors |> Seq.exists (fun e -> e.Path = "$.points[0]")) (sprintf "%A" ex.Errors)
            let both = """{ "base": "classroom", "parameters": [ { "path": "regime", "values": [ "eu-gdpr" ] } ], "points": [ [ "eu-gdpr" ] ] }"""
            Expect.throwsT<SpecValidationException> (fun () -> SweepSpec.Parse both |> ignore) "values and points together"
        }
        test "a scenario study runs its points as a sweep; arms no metric needs are left out and the others' results are unchanged" {
            let dir = IO.Path.Combine(Workbench.Notebooks.Tests.Repo.root, "tests", "sensitivity")
            let scenario = Scenario.Load(IO.Path.Combine(dir, "small.json"))
            let spec = SensitivitySpec.Load(IO.Path.Combine(dir, "small-parameters.json"))
            let study = SensitivityStudy.Create(scenario, spec, SensitivityMethod.Morris, 2, [| "shareGain:Red"; "seatGain:Red:D'Hondt" |], Nullable 1)
            Expect.equal study.Sweep.Variants.Count study.Design.Runs "one variant per run"
            Expect.equal study.Sweep.Variants.[0].Scenario.Arms.Count 1 "Blue's arm (after the last arm a metric needs) is left out"
            Expect.equal study.Sweep.Variants.[3].Scenario.Arms.[0].Campaigns.[0].Budget study.Design.Values.[3].[0] "the budget path was set"
            Expect.equal (study.Sweep.Variants.[3].Scenario.Channel "paid-social").PersuasionEffect study.Design.Values.[3].[1] "the patched channel's effect was set"
            let struct (result, sweep) = study.Run(Nullable 2)
            // The same points on the whole scenario (both arms): Red's rows are the same numbers.
            let full = Text.Json.Nodes.JsonNode.Parse(study.Sweep.CanonicalJson).AsObject()
            full.["base"].["arms"] <- Text.Json.Nodes.JsonNode.Parse(Text.Json.Nodes.JsonNode.Parse(scenario.Json).["arms"].ToJsonString())
            let fullSweep = Sweep.Run(SweepSpec.Parse(full.ToJsonString()), Nullable 2)
            let rows (t: Workbench.Tables.ColumnTable) =
                let arm = t.["arm"].Values :?> string[]
                let seats = t.["seats"].Values :?> int[]
                let votes = t.["votes"].Values :?> int64[]
                [ for i in 0 .. t.RowCount - 1 do if arm.[i] <> "blue-broadcasts" then yield arm.[i], seats.[i], votes.[i] ]
            Expect.isTrue ((fullSweep.Table.["arm"].Values :?> string[]) |> Array.contains "blue-broadcasts") "the full sweep ran Blue's arm"
            Expect.sequenceEqual (rows sweep.Table) (rows fullSweep.Table) "baseline and Red rows identical with and without Blue's arm"
            let outputs = SensitivityMetric.Values(fullSweep.Table, study.Design.Runs, 1, study.Metrics)
            for run in 0 .. study.Design.Runs - 1 do Expect.sequenceEqual result.Outputs.[run] outputs.[run] (sprintf "run %d: the same metrics" run)
        }
        test "a metric against another arm (a premium) is the two arms' changes against the baseline subtracted, run by run, and keeps both arms in the runs" {
            let dir = IO.Path.Combine(Workbench.Notebooks.Tests.Repo.root, "tests", "sensitivity")
            let scenario = Scenario.Load(IO.Path.Combine(dir, "small.json"))
            let spec = SensitivitySpec.Load(IO.Path.Combine(dir, "small-parameters.json"))
            let arms = scenario.Arms |> Seq.map (fun a -> a.Name) |> Array.ofSeq
            let a0, a1 = arms.[0], arms.[1]
            let names = [| sprintf "shareGain:Red@%s/%s" a0 a1; sprintf "shareGain:Red@%s" a0; sprintf "shareGain:Red@%s" a1 |]
            let study = SensitivityStudy.Create(scenario, spec, SensitivityMethod.Morris, 2, names, Nullable 1)
            Expect.equal study.Metrics.[0].Against a1 "the arm after '/'"
            Expect.equal study.Sweep.Variants.[0].Scenario.Arms.Count 2 "the arm compared against is kept in the runs"
            let struct (result, _) = study.Run(Nullable 2)
            for run in 0 .. study.Design.Runs - 1 do
                let o = result.Outputs.[run]
                Expect.floatClose Accuracy.veryHigh o.[0] (o.[1] - o.[2]) (sprintf "run %d: premium = change of %s − change of %s" run a0 a1)
            Expect.isTrue (result.Outputs |> Seq.exists (fun o -> o.[0] <> 0.0)) "the premium is not trivially zero"
            for bad, text in [ sprintf "shareGain:Red@%s/nope" a0, "nor 'baseline'"; sprintf "shareGain:Red@%s/%s" a0 a0, "compared with itself" ] do
                let ex = catchEx<ArgumentException> (fun () -> SensitivityMetric.Parse(bad, scenario) |> ignore)
                Expect.stringContains ex.Message text bad
        }
        test "metrics are parsed against the scenario, with defaults; unknown parties, systems and arms are named" {
            let sc = Scenario.Builtin "classroom"
            let m = SensitivityMetric.Parse("seatGain:Red:D'Hondt", sc)
            Expect.equal (m.Quantity, m.Party, m.System, m.Arm) ("seatGain", "Red", "D'Hondt", "red-microtargets") "the arm in which Red campaigns"
            let blue = SensitivityMetric.Parse("costPerSeat:Blue", sc)
            Expect.equal (blue.System, blue.Arm) ("FPTP", "blue-broadcasts") "first system, Blue's arm"
            Expect.equal (SensitivityMetric.Parse("gallagher:D'Hondt@blue-broadcasts", sc).Arm) "blue-broadcasts" "@arm"
            Expect.sequenceEqual (SensitivityMetric.Defaults sc) [ "seatGain:Red:FPTP"; "seatGain:Red:D'Hondt"; "shareGain:Red" ] "defaults"
            for bad, text in [ "seats:Red", "unknown quantity"; "seatGain:Magenta", "not a party"; "seatGain:Red:STV", "not a system"; "seatGain:Red@nope", "not an arm"; "seatGain", "PARTY" ] do
                let ex = catchEx<ArgumentException> (fun () -> SensitivityMetric.Parse(bad, sc) |> ignore)
                Expect.stringContains ex.Message text bad
        }
    ]
