module Workbench.Tests.Elections.SeatsVotesTests

open System
open Expecto
open Workbench.Elections

let private logit p = log (p / (1.0 - p))
let private logistic z = 1.0 / (1.0 + exp -z)

/// Three constituencies (A, B, C votes): A wins the first, B the other two.
let private three = [| [| 500L; 400L; 100L |]; [| 420L; 480L; 100L |]; [| 300L; 600L; 100L |] |]

[<Tests>]
let tests =
    testList "Elections.SeatsVotes" [
        test "the fit recovers the responsiveness and bias of exact curves (cube law: ρ = 3, λ = 0; Kendall & Stuart 1950)" {
            for (rho, lambda) in [ 3.0, 0.0; 2.0, 0.3; 1.0, -0.5 ] do
                let pts = [| for v in 0.35 .. 0.05 .. 0.65 -> struct (v, logistic (lambda + rho * logit v)) |]
                let fit = SeatsVotes.Fit pts
                Expect.floatClose Accuracy.high fit.Responsiveness rho "ρ"
                Expect.floatClose Accuracy.high fit.Bias lambda "λ"
                Expect.floatClose Accuracy.high fit.SeatShareAtEvenVote (logistic lambda) "seat share at 50%"
                Expect.floatClose Accuracy.high fit.RSquared 1.0 "exact fit"
                Expect.isLessThan fit.ResponsivenessStdError 1e-6 "no residual, no error"
        }
        test "a uniform swing recounts by hand: 5 points from B to A flips the second seat, not the third" {
            // Second: A 420+50 = 470 vs B 480−50 = 430 → A. Third: A 300+50 = 350 vs B 550 → B.
            let pts = SeatsVotes.Curve(three, 0, 1, [| 0.0; 0.05 |])
            Expect.equal (pts[0].SeatsA, pts[0].SeatsB) (1, 2) "no swing"
            Expect.equal (pts[1].SeatsA, pts[1].SeatsB) (2, 1) "five points"
            Expect.floatClose Accuracy.high pts[0].VoteShare (1220.0 / 2700.0) "A's two-party share"
            // Each constituency moves 5% of its 1,000 votes: A + B stays 2,700, A gains 150.
            Expect.floatClose Accuracy.high pts[1].VoteShare (1370.0 / 2700.0) "after the swing"
        }
        test "an exact tie counts half a seat to each tied party" {
            let pts = SeatsVotes.Curve([| [| 450L; 450L; 100L |] |], 0, 1, [| 0.0 |])
            Expect.equal pts[0].SeatShare 0.5 "half"
        }
        test "seat share never falls as the swing to A grows; a swing never moves more votes than B has" {
            let rng = Random(7)
            let votes = Array.init 60 (fun _ -> [| int64 (rng.Next(100, 1000)); int64 (rng.Next(100, 1000)); int64 (rng.Next(0, 400)) |])
            let pts = SeatsVotes.Curve(votes, 0, 1, [| for s in -0.3 .. 0.02 .. 0.3 -> s |])
            for i in 1 .. pts.Count - 1 do
                Expect.isGreaterThanOrEqual pts[i].SeatShare pts[i - 1].SeatShare (sprintf "monotone at %d" i)
                Expect.isGreaterThanOrEqual pts[i].VoteShare pts[i - 1].VoteShare (sprintf "votes monotone at %d" i)
            let all = SeatsVotes.Curve(votes, 0, 1, [| 1.0 |])
            Expect.equal all[0].VoteShare 1.0 "a full swing empties B and no more"
        }
        test "a non-uniform swing is reproducible from its seed, differs from the uniform one, and equals it with zero spread" {
            let rng = Random(11)
            let votes = Array.init 200 (fun _ -> [| int64 (rng.Next(300, 700)); int64 (rng.Next(300, 700)) |])
            let swings = [| for s in -0.1 .. 0.01 .. 0.1 -> s |]
            let u = SeatsVotes.Curve(votes, 0, 1, swings)
            let n1 = SeatsVotes.Curve(votes, 0, 1, swings, 0.03, Nullable 5)
            let n2 = SeatsVotes.Curve(votes, 0, 1, swings, 0.03, Nullable 5)
            let z = SeatsVotes.Curve(votes, 0, 1, swings, 0.0, Nullable 5)
            Expect.sequenceEqual n1 n2 "same seed, same curve"
            Expect.sequenceEqual z u "zero spread is uniform"
            Expect.isTrue (Seq.exists2 (fun (x: SeatsVotesPoint) (y: SeatsVotesPoint) -> x.SeatShare <> y.SeatShare) n1 u) "spread changes seats"
            // Non-uniform swing flattens the curve (constituencies cross the line more gradually): lower responsiveness.
            Expect.isLessThan (SeatsVotes.Fit n1).Responsiveness (SeatsVotes.Fit u).Responsiveness "flatter"
        }
        test "bad input is refused with the argument named" {
            Expect.throwsT<ArgumentException> (fun () -> SeatsVotes.Curve(three, 0, 0, [| 0.0 |]) |> ignore) "same party"
            Expect.throwsT<ArgumentException> (fun () -> SeatsVotes.Curve(three, 0, 1, [||]) |> ignore) "no swings"
            Expect.throwsT<ArgumentException> (fun () -> SeatsVotes.Curve([| [| 1L; 2L |]; [| 1L |] |], 0, 1, [| 0.0 |]) |> ignore) "ragged"
            Expect.throwsT<ArgumentException> (fun () -> SeatsVotes.Fit [| struct (0.5, 0.5); struct (0.5, 0.6); struct (0.5, 0.4) |] |> ignore) "no spread in votes"
        }
    ]
