/// Large and extreme allocation problems: vote totals beyond 64 bits, the documented limits
/// (ElectionLimits), and allocation time that grows as O(P log P + S log P), checked against an
/// independent sequential reference that shares no code with the library.
module Workbench.Tests.Elections.RobustnessTests

open System
open System.Text
open System.Threading.Tasks
open Expecto
open Workbench
open Workbench.Elections

/// Runs f on the thread pool and fails if it has not finished within the bound (a sanity bound, not a benchmark).
let private within (seconds: float) (what: string) (f: unit -> 'T) : 'T =
    let task = Task.Run(fun () -> f ())
    if not (task.Wait(TimeSpan.FromSeconds seconds)) then failtestf "%s did not finish within %.0f s" what seconds
    task.Result

/// The message of the exception f throws (failing the test if it throws none or another type).
let private messageOf<'E when 'E :> exn> (f: unit -> unit) =
    try f (); failtest "expected an exception"; ""
    with :? 'E as e -> e.Message

/// { "method": m, "seats": s, "votes": { "P0": v0, ... } } built without a JSON library (fast for a million parties).
let private jsonOf (m: string) (seats: int) (extra: string) (votes: int64 seq) =
    let sb = StringBuilder()
    sb.Append("{\"method\":\"").Append(m).Append("\",\"seats\":").Append(seats).Append(extra).Append(",\"votes\":{") |> ignore
    votes |> Seq.iteri (fun i v -> (if i > 0 then sb.Append(',') else sb).Append("\"P").Append(i).Append("\":").Append(v) |> ignore)
    sb.Append("}}").ToString()

/// The sequential definition of a highest-averages method with exact BigInteger comparisons: S times, the largest
/// next quotient v/d(k) wins a seat; among equal quotients the party with more votes, then the earlier party
/// (the library's more-votes tie-break). Divisors as rationals num/den; Huntington–Hill is compared through squares.
let private sequential (divisor: int -> bigint * bigint) (squared: bool) (votes: int64[]) (seats: int) =
    let a = Array.zeroCreate votes.Length
    // Sort key for the heap-free reference: compare v1·den1/num1 with v2·den2/num2 (num = 0 is +∞).
    let cmp i j =
        let (n1, d1), (n2, d2) = divisor a.[i], divisor a.[j]
        let v1, v2 = bigint votes.[i], bigint votes.[j]
        let p1, p2 = (if squared then v1 * v1 else v1), (if squared then v2 * v2 else v2)
        if n1.IsZero || n2.IsZero then compare (if n1.IsZero then 1 else 0) (if n2.IsZero then 1 else 0)
        else compare (p1 * d1 * n2) (p2 * d2 * n1)
    for _ in 1 .. seats do
        let mutable best = -1
        for i in 0 .. votes.Length - 1 do
            if votes.[i] > 0L then
                if best < 0 then best <- i
                else
                    let c = cmp i best
                    if c > 0 || (c = 0 && votes.[i] > votes.[best]) then best <- i
        a.[best] <- a.[best] + 1
    a

let private divisors =
    [ Method.DHondt, (fun k -> bigint (k + 1), 1I), false
      Method.SainteLague, (fun k -> bigint (2 * k + 1), 1I), false
      Method.ModifiedSainteLague, (fun k -> (if k = 0 then 7I, 5I else bigint (2 * k + 1), 1I)), false
      Method.Imperiali, (fun k -> bigint (k + 2), 1I), false
      Method.Danish, (fun k -> bigint (3 * k + 1), 1I), false
      Method.HuntingtonHill, (fun k -> bigint k * bigint (k + 1), 1I), true ]

[<Tests>]
let tests =
    testList "Elections.Robustness" [
        test "10,000 parties of 10^15 votes: totals beyond 64 bits allocate without overflow (threshold included)" {
            // The national total is 10^19 > 2^63 − 1 ≈ 9.22 × 10^18: summing it in a long overflowed.
            // All parties are equal, so the 100 seats are one tie among all 10,000, won by the first 100
            // in input order (more-votes, then input order); each party has exactly 1/10,000 of the vote.
            let json = jsonOf "dhondt" 100 ",\"threshold\":{\"share\":0.0001}" (Seq.replicate 10_000 1_000_000_000_000_000L)
            let r = within 60.0 "10,000 parties" (fun () -> Allocate.FromJson json)
            Expect.equal r.TotalSeats 100 "100 seats"
            Expect.isTrue (r.Seats |> Seq.take 100 |> Seq.forall ((=) 1)) "P0..P99 win"
            Expect.isEmpty r.BelowThreshold "every party has exactly the threshold share"
            Expect.equal r.Ties.Count 1 "one tie"
            Expect.equal (r.Ties.[0].Parties.Count, r.Ties.[0].Seats) (10_000, 100) "10,000 parties for 100 seats"
            Expect.isTrue (Double.IsFinite r.Gallagher) "indices computed"
        }
        test "largest remainder with a total above 2^63: 11 parties of 9 × 10^17 votes get one seat each" {
            // V = 9.9 × 10^18 overflowed a 64-bit quota; the Hare quota is V/11 = 9 × 10^17, one seat each, no remainder.
            let votes = Array.create 11 900_000_000_000_000_000L
            for m in [ Method.Hare; Method.Droop ] do
                Expect.equal (Apportion.LargestRemainder(m, ReadOnlySpan votes, 11)) (Array.create 11 1) $"{m}"
            Expect.equal (Apportion.Divisor(Method.SainteLague, ReadOnlySpan votes, 22)) (Array.create 11 2) "Sainte-Laguë"
        }
        test "votes above the 10^18 limit are refused by the library, naming the limit" {
            let votes = [| Int64.MaxValue; 1L |]
            let msg = messageOf<ArgumentOutOfRangeException> (fun () -> Apportion.Divisor(Method.DHondt, ReadOnlySpan votes, 3) |> ignore)
            Expect.stringContains msg "1,000,000,000,000,000,000" "names the limit"
        }
        test "1,000,000 parties and 1,000 seats through the JSON input finish within a sanity bound of 60 s (about 4 s on a quiet machine)" {
            let mutable rng = Workbench.Random.RandomStream(5UL, 0u)
            let votes = Array.init 1_000_000 (fun _ -> 1L + int64 (rng.NextDouble() * 1e9))
            let json = jsonOf "dhondt" 1000 "" votes
            let r = within 60.0 "1M parties" (fun () -> Allocate.FromJson json)
            Expect.equal r.TotalSeats 1000 "1,000 seats"
            // D'Hondt: every winner's quotient beats every loser's first quotient, so the winners include the largest parties.
            let top = votes |> Array.mapi (fun i v -> v, i) |> Array.maxBy fst |> snd
            Expect.isGreaterThan r.Seats.[top] 0 "the largest party wins seats"
        }
        test "every method allocates 200,000 parties and 5,000 seats within 20 s" {
            let mutable rng = Workbench.Random.RandomStream(6UL, 0u)
            let votes = Array.init 200_000 (fun _ -> int64 (rng.NextDouble() * 1e7))
            within 20.0 "200k parties" (fun () ->
                for m in [ Method.DHondt; Method.SainteLague; Method.ModifiedSainteLague; Method.Imperiali; Method.Danish; Method.HuntingtonHill; Method.Hare; Method.Droop; Method.ImperialiQuota ] do
                    let a = if Apportion.IsDivisor m then Apportion.Divisor(m, ReadOnlySpan votes, 5000) else Apportion.LargestRemainder(m, ReadOnlySpan votes, 5000)
                    Expect.equal (Array.sum a) 5000 $"{m}: 5,000 seats")
        }
        test "more than 1,000,000 parties (2,400,000) are refused at once, naming the limit and the field" {
            let json = jsonOf "dhondt" 1000 "" (Seq.replicate 2_400_000 7L)
            // A sanity bound against runaway work (about 3.5 s on a quiet machine; over 20 s once under a load of 12 in CI).
            let msg = within 60.0 "refusal" (fun () -> messageOf<SpecValidationException> (fun () -> Allocate.FromJson json |> ignore))
            Expect.stringContains msg "$.votes" "names the field"
            Expect.stringContains msg "1,000,000" "names the limit"
        }
        test "limits on districts, parties × districts and seats are checked before any work" {
            let refused (input: ElectionInput) (field: string) (limit: string) =
                let msg = messageOf<ArgumentException> (fun () -> ElectionEngine.Run input |> ignore)
                Expect.stringStarts msg field "path first"
                Expect.stringContains msg limit "limit"
            let parties n = [| for i in 0 .. n - 1 -> $"P{i}" |]
            refused (ElectionInput(Parties = parties 2, Districts = [| for k in 0 .. 100_000 -> District($"D{k}", 1, Nullable(), [| 1L; 2L |]) |]))
                "$.districts" "100,000"
            let zeros: int64[] = Array.zeroCreate 2_000
            refused (ElectionInput(Parties = parties 2_000, Districts = [| for k in 0 .. 5_000 -> District($"D{k}", 1, Nullable(), zeros) |]))
                "$.districts" "10,000,000"
            refused (ElectionInput(Parties = parties 2, Districts = [| District("X", 1_000_001, Nullable(), [| 1L; 2L |]) |])) "$.districts[0].seats" "1,000,000"
            refused (ElectionInput(Parties = parties 2, Seed = -1, Districts = [| District("X", 1, Nullable(), [| 1L; 2L |]) |])) "$.seed" "1,000,000"
            refused (ElectionInput(Parties = parties 2, Seed = 1_000_001, Districts = [| District("X", 1, Nullable(), [| 1L; 2L |]) |])) "$.seed" "1,000,000"
            refused (ElectionInput(Parties = parties 2, Districts = [| for k in 0 .. 2 -> District($"D{k}", 400_000, Nullable(), [| 1L; 2L |]) |])) "$.districts" "1,000,000"
            // A party's votes summed over districts must stay ≤ 10^18: 2,000 districts of 10^15 make 2 × 10^18.
            refused (ElectionInput(Parties = parties 2, Districts = [| for k in 0 .. 1_999 -> District($"D{k}", 1, Nullable(), [| 1_000_000_000_000_000L; 0L |]) |]))
                "$.districts" "1,000,000,000,000,000,000"
        }
        test "Droop with fewer votes than seats is refused instead of leaving seats unallocated" {
            // Votes 2 and 1 for 10 seats: quota ⌊3/11⌋ + 1 = 1 gives 2 + 1 seats and leaves 7 for 2 remainders.
            let msg = messageOf<ArgumentException> (fun () -> Apportion.LargestRemainder(Method.Droop, ReadOnlySpan [| 2L; 1L |], 10) |> ignore)
            Expect.stringContains msg "leaves 7 seat(s) for 2 remainder(s)" "explains why"
        }
        test "MMP leveling with a party that won constituencies but has no list votes finishes and keeps its seats" {
            // Before, the house grew forever trying to give C (0 list votes) its 2 constituency seats.
            let r = within 20.0 "leveling" (fun () ->
                Allocate.FromJson """{"method":"sainte-lague","system":"mmp","seats":10,"overhang":"level",
                                      "votes":{"A":600,"B":400},"constituencySeats":{"A":6,"B":1,"C":2}}""")
            Expect.equal r.["C"] 2 "C keeps its 2 constituency seats"
            Expect.isGreaterThanOrEqual r.["A"] 6 "A covered"
        }
        test "MMP leveling that would need more than 1,000,000 seats is refused at once" {
            let msg = within 20.0 "leveling" (fun () ->
                messageOf<ArgumentException> (fun () ->
                    Allocate.FromJson """{"method":"dhondt","system":"mmp","seats":10,"overhang":"level",
                                          "votes":{"A":1000000000000,"B":1},"constituencySeats":{"A":1,"B":50}}""" |> ignore))
            Expect.stringStarts msg "$.overhang" "names the field"
            Expect.stringContains msg "1,000,000" "names the limit"
        }
        test "leveling by bisection equals a seat-by-seat search (divisor methods are house monotone)" {
            // Seat by seat: the first house size ≥ the pool at which every party's entitlement covers its constituency seats.
            let votes = [| 4_500L; 3_300L; 1_400L; 800L |]
            let cs = [| 30; 5; 9; 0 |]
            let entitle size = Apportion.Divisor(Method.SainteLague, ReadOnlySpan votes, size)
            let mutable size = 40
            while Array.exists2 (fun e c -> e < c) (entitle size) cs do size <- size + 1
            let r = Allocate.FromJson """{"method":"sainte-lague","system":"mmp","seats":40,"overhang":"level",
                                          "votes":{"A":4500,"B":3300,"C":1400,"D":800},"constituencySeats":{"A":30,"B":5,"C":9,"D":0}}"""
            Expect.equal r.TotalSeats size "same house size"
            Expect.equal (Seq.toArray r.Seats) (entitle size) "same seats"
        }
    ]

[<Tests>]
let reference =
    testList "Elections.Reference" [
        // The fast allocation (threshold search, exact correction, priority queue) against the sequential definition,
        // on vote vectors with many equal votes (ties), zero votes, and both few and many parties per seat.
        let mutable rng = Workbench.Random.RandomStream(11UL, 0u)
        let cases =
            [ for c in 0 .. 59 ->
                let p = if c % 4 = 0 then 300 + rng.NextInt 900 else 2 + rng.NextInt 30
                let scale = [| 4.0; 1e3; 1e9; 1e15 |].[c % 4]
                let votes = Array.init p (fun _ -> if rng.NextInt 8 = 0 then 0L else 1L + int64 (rng.NextDouble() * scale))
                let seats = [| 1 + rng.NextInt 5; 1 + rng.NextInt 200; p / 3 + 1; 2 * p |].[rng.NextInt 4]
                votes, seats ]
        for m, divisor, squared in divisors do
            test $"{m}: equals the sequential definition on 60 vote vectors (ties, zeros, up to 1,200 parties)" {
                for votes, seats in cases do
                    let expected = sequential divisor squared votes seats
                    let actual = Apportion.Divisor(m, ReadOnlySpan votes, seats, Nullable<struct (int64 * int64)>(struct (7L, 5L)))
                    Expect.equal actual expected $"{m} votes {votes.Length} parties, {seats} seats"
            }
    ]
