/// The allocate and indices inputs are read through their source-generated contract (Elections.ElectionsJson): every
/// refusal keeps the exact message and JSON path it had when the inputs were read by hand, and unknown fields still name
/// the known ones.
module Workbench.Tests.Elections.ContractTests

open System
open Expecto
open Workbench
open Workbench.Elections

/// (command, input, the one error it is refused with: "path: message").
let private refusals : (string * string * string) list =
    [
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":5,"A":6}}""", "$.votes: the key 'A' appears twice in one object; each key may appear once."
      "allocate", """{"method":"dhondt","seats":3,"votes":{}}""", "$.votes: no parties."
      "allocate", """{"method":"dhondt","seats":1.5,"votes":{"A":5}}""", "$.seats: must be a whole number in [0, 1000000]; got 1.5."
      "allocate", """{"method":"dhondt","seats":2000000,"votes":{"A":5}}""", "$.seats: must be a whole number in [0, 1000000]; got 2000000."
      "allocate", """{"method":"dhondt","seats":"3","votes":{"A":5}}""", "$.seats: must be a whole number."
      "allocate", """{"method":"dhondt","seats":null,"votes":{"A":5}}""", "$.seats: must not be null."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":1e400}}""", "$.votes.A: 1e400 is outside the range of a number (about ±1.8e308)."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":2e15}}""", "$.votes.A: votes must be a whole number in [0, 1,000,000,000,000,000] (the limit); got 2000000000000000."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":2.5}}""", "$.votes.A: votes must be a whole number in [0, 1,000,000,000,000,000] (the limit); got 2.5."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":"7"}}""", "$.votes.A: must be a number of votes."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":-5}}""", "$.votes.A: negative votes (-5)."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"Labour Party":-5}}""", "$.votes.Labour Party: negative votes (-5)."
      "allocate", """{"method":"dhondt","seats":3,"blank":-1,"votes":{"A":7}}""", "$.blank: negative votes (-1)."
      "allocate", """{"method":"dhondt","seats":3,"blank":"x","votes":{"A":7}}""", "$.blank: must be a number of votes."
      "allocate", """{"method":"dhondt","seats":3,"blank":null,"votes":{"A":7}}""", "$.blank: must not be null."
      "allocate", """{"method":"dhondt","seats":3,"blank":2.5,"votes":{"A":7}}""", "$.blank: votes must be a whole number in [0, 1,000,000,000,000,000] (the limit); got 2.5."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":7},"threshold":{"share":1.5}}""", "$.threshold.share: 1.5 is outside [0, 1]."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":7},"threshold":{"share":"x"}}""", "$.threshold.share: must be a number."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":7},"threshold":{"quota":-1}}""", "$.threshold.quota: -1 is outside [0, 1000]."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":7},"threshold":{"exempt":"A"}}""", "$.threshold.exempt: expected an array of party names, got a string."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":7},"threshold":{"exempt":["A",3]}}""", "$.threshold.exempt[1]: must be a party name."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":7},"threshold":{"exempt":null}}""", "$.threshold.exempt: must not be null."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":7},"threshold":{"partyShares":[0.1]}}""", "$.threshold.partyShares: expected an object of party: share, got an array."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":7},"threshold":{"partyShares":{"A":2}}}""", "$.threshold.partyShares.A: 2 is outside [0, 1]."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":7},"threshold":{"partyShares":{"A":"x"}}}""", "$.threshold.partyShares.A: must be a number."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":7},"threshold":{"scope":"world"}}""", """$.threshold.scope: '"world"' is not one of district, national."""
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":7},"threshold":{"base":5}}""", "$.threshold.base: '5' is not one of valid, valid-including-blank."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":7},"threshold":{"electorateSeats":0}}""", "$.threshold.electorateSeats: must be a whole number in [1, 1000000]; got 0."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":7},"threshold":{"colour":0}}""", "$.threshold.colour: unknown field; expected one of share, scope, base, quota, exempt, partyShares, electorateSeats."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":7},"threshold":5}""", "$.threshold: must be an object."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":7},"threshold":null}""", "$.threshold: must not be null."
      "allocate", """{"method":"modified-sainte-lague","firstDivisor":5,"seats":3,"votes":{"A":7}}""", "$.firstDivisor: 5 is outside [1E-06, 3]."
      "allocate", """{"method":"modified-sainte-lague","firstDivisor":0,"seats":3,"votes":{"A":7}}""", "$.firstDivisor: 0 is outside [1E-06, 3]."
      "allocate", """{"method":"modified-sainte-lague","firstDivisor":"x","seats":3,"votes":{"A":7}}""", "$.firstDivisor: must be a number."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":7},"seed":-1}""", "$.seed: must be a whole number in [0, 1000000]; got -1."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":7},"seed":"x"}""", "$.seed: must be a whole number."
      "allocate", """{"method":3,"seats":3,"votes":{"A":7}}""", "$.method: unknown method '3'; expected one of dhondt, sainte-lague, modified-sainte-lague, imperiali, huntington-hill, danish, hare, droop, imperiali-quota, fptp."
      "allocate", """{"method":"coin","seats":3,"votes":{"A":7}}""", """$.method: unknown method '"coin"'; expected one of dhondt, sainte-lague, modified-sainte-lague, imperiali, huntington-hill, danish, hare, droop, imperiali-quota, fptp."""
      "allocate", """{"method":null,"seats":3,"votes":{"A":7}}""", "$.method: must not be null."
      "allocate", """{"seats":3,"votes":{"A":7}}""", "$.method: is required."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":7},"tieBreak":"coin"}""", """$.tieBreak: '"coin"' is not one of more-votes, lot, error."""
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":7},"tieBreak":3}""", "$.tieBreak: '3' is not one of more-votes, lot, error."
      "allocate", """{"method":"dhondt","districts":[]}""", "$.districts[0].votes: no parties."
      "allocate", """{"method":"dhondt","districts":[3]}""", "$.districts[0]: must be an object."
      "allocate", """{"method":"dhondt","districts":{}}""", "$.districts: must be an array."
      "allocate", """{"method":"dhondt","districts":null}""", "$.districts: must not be null."
      "allocate", """{"method":"dhondt","districts":[{"name":4,"seats":1,"votes":{"A":1}}]}""", "$.districts[0].name: must be a string."
      "allocate", """{"method":"dhondt","districts":[{"name":null,"seats":1,"votes":{"A":1}}]}""", "$.districts[0].name: must not be null."
      "allocate", """{"method":"dhondt","districts":[{"name":"a","seats":1,"votes":{"A":1}},{"name":"a","seats":1,"votes":{"A":1}}]}""", "$.districts[1].name: 'a' is used by another district."
      "allocate", """{"method":"dhondt","districts":[{"seats":1,"votes":{"A":1},"colour":1}]}""", "$.districts[0].colour: unknown field; expected one of name, seats, method, votes, blank, secondRound."
      "allocate", """{"method":"dhondt","districts":[{"seats":1,"votes":5}]}""", "$.districts[0].votes: must be an object of party: votes."
      "allocate", """{"method":"dhondt","districts":[{"seats":1}]}""", "$.districts[0].votes: must be an object of party: votes."
      "allocate", """{"method":"dhondt","districts":[{"seats":-1,"votes":{"A":1}}]}""", "$.districts[0].seats: must be a whole number in [0, 1000000]; got -1."
      "allocate", """{"method":"dhondt","districts":[{"seats":1,"method":"coin","votes":{"A":1}}]}""", """$.districts[0].method: unknown method '"coin"'; expected one of dhondt, sainte-lague, modified-sainte-lague, imperiali, huntington-hill, danish, hare, droop, imperiali-quota, fptp."""
      "allocate", """{"method":"dhondt","districts":[{"seats":1,"blank":-3,"votes":{"A":1}}]}""", "$.districts[0].blank: negative votes (-3)."
      "allocate", """{"method":"fptp","districts":[{"seats":2,"votes":{"A":1,"B":2}}]}""", "$.districts[0].seats: fptp elects one member per district."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":1},"districts":[{"seats":1,"votes":{"A":1}}]}""", "$.votes: give either votes (one district) or districts, not both."
      "allocate", """{"method":"dhondt","seats":9,"apportionment":{"by":"valid-votes"},"districts":[{"votes":{"A":10,"B":5}}]}""", "$.apportionment.method: unknown method ''; expected one of dhondt, sainte-lague, modified-sainte-lague, imperiali, huntington-hill, danish, hare, droop, imperiali-quota, fptp."
      "allocate", """{"method":"dhondt","seats":9,"apportionment":{"method":"hare","by":"people"},"districts":[{"votes":{"A":10,"B":5}}]}""", """$.apportionment.by: '"people"' is not one of valid-votes."""
      "allocate", """{"method":"dhondt","seats":9,"apportionment":{"method":"hare","x":1},"districts":[{"votes":{"A":10,"B":5}}]}""", "$.apportionment.x: unknown field; expected one of method, by."
      "allocate", """{"method":"dhondt","seats":9,"apportionment":7,"districts":[{"votes":{"A":10,"B":5}}]}""", "$.apportionment: must be an object."
      "allocate", """{"method":"dhondt","districts":[{"votes":{"A":10,"B":5}}]}""", "$.districts[0].seats: district 'district 1' has no seats and there is no apportionment rule."
      "allocate", """{"method":"dhondt","system":"mmp","seats":5,"votes":{"A":9},"constituencySeats":[1]}""", "$.constituencySeats: expected an object of party: seats, got an array."
      "allocate", """{"method":"dhondt","system":"mmp","seats":5,"votes":{"A":9}}""", "$.constituencySeats: a mmp system needs the constituency seats won per party."
      "allocate", """{"method":"dhondt","system":"mmp","seats":5,"votes":{"A":9},"constituencySeats":{"A":-1}}""", "$.constituencySeats.A: must be a whole number in [0, 1000000]; got -1."
      "allocate", """{"method":"dhondt","system":"mmp","seats":5,"votes":{"A":9},"constituencySeats":{"A":1},"overhang":"grow"}""", """$.overhang: '"grow"' is not one of keep, level, cap."""
      "allocate", """{"method":"dhondt","system":"presidential","seats":5,"votes":{"A":9}}""", """$.system: '"presidential"' is not one of list, mmp, parallel, two-round."""
      "allocate", """{"method":"fptp","system":"two-round","districts":[{"votes":{"A":40,"B":60},"secondRound":5}]}""", "$.districts[0].secondRound: expected an object of party: votes, got a number."
      "allocate", """{"method":"fptp","system":"two-round","districts":[{"votes":{"A":40,"B":35,"C":25},"secondRound":{"A":50,"D":50}}]}""", "$.districts[0].secondRound.D: a party that had no first-round votes."
      "allocate", """{"method":"fptp","system":"two-round","districts":[{"votes":{"A":40,"B":35,"C":25},"secondRound":{"A":50,"B":-5}}]}""", "$.districts[0].secondRound.B: negative votes (-5)."
      "allocate", "[1,2]", "$: expected an allocate input (a JSON object), got an array."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":7},"colour":1}""", "$.colour: unknown field; expected one of method, firstDivisor, seats, threshold, blank, votes, districts, apportionment, tieBreak, seed, system, constituencySeats, overhang."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":7},"$schema":1}""", "$.$schema: expected a string (the path of the file's JSON Schema), got a number."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":7},"colour":null}""", "$.colour: unknown field; expected one of method, firstDivisor, seats, threshold, blank, votes, districts, apportionment, tieBreak, seed, system, constituencySeats, overhang."
      "allocate", """{"method":"dhondt","seats":3,"votes":null}""", "$.votes: must not be null."
      "allocate", """{"method":"dhondt","seats":3,"votes":[1]}""", "$.votes: must be an object of party: votes."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":7},"overhang":null}""", "$.overhang: must not be null."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":7},"colour":1,"method2":2}""", "$.colour: unknown field; expected one of method, firstDivisor, seats, threshold, blank, votes, districts, apportionment, tieBreak, seed, system, constituencySeats, overhang."
      "allocate", """{"method":"dhondt","seats":"x","votes":{"A":7},"seed":-1}""", "$.seats: must be a whole number."
      "allocate", """{"method":"dhondt","seats":3,"votes":{"A":7},"threshold":{"share":0.1,"colour":2}}""", "$.threshold.colour: unknown field; expected one of share, scope, base, quota, exempt, partyShares, electorateSeats."
      "indices", """{"votes":{"A":5,"B":6},"seats":{"A":1,"B":1},"districts":[]}""", "$.districts: must not be empty (leave it out to use the national votes as one district)."
      "indices", """{"votes":{"A":5,"B":6},"seats":{"A":1,"B":1},"districts":{"A":1}}""", "$.districts: expected an array of two-party votes, got an object."
      "indices", """{"votes":{"A":5,"B":6},"seats":{"A":1,"B":1},"districts":[{"A":1,"C":2}]}""", "$.districts[0].C: unknown field; expected one of A, B."
      "indices", """{"votes":{"A":5,"B":6},"seats":{"A":1,"B":1},"districts":[5]}""", "$.districts[0]: must be an object of party: votes."
      "indices", """{"votes":{"A":5,"B":6},"seats":{"A":1,"B":1},"districts":null}""", "$.districts: must not be null."
      "indices", """{"votes":{"A":5},"seats":{"A":-1}}""", "$.seats.A: must be a whole number in [0, 1000000]; got -1."
      "indices", """{"votes":{"A":5,"B":1,"C":1},"seats":{"A":600000,"B":600000,"C":0}}""", "$.seats: 1,200,000 seats in all; at most 1,000,000 are allowed."
      "indices", """{"votes":{"A":"5"},"seats":{"A":1}}""", "$.votes.A: must be a number of votes."
      "indices", """{"votes":{"A":5,"A":5},"seats":{"A":1}}""", "$.votes: the key 'A' appears twice in one object; each key may appear once."
      "indices", """{"votes":{"A":1e400},"seats":{"A":1}}""", "$.votes.A: 1e400 is outside the range of a number (about ±1.8e308)."
      "indices", """{"seats":{"A":1}}""", "$.votes: is required: an object of party: votes."
      "indices", """{"votes":{"A":1}}""", "$.seats: is required: an object of party: seats."
      "indices", """{"votes":{"A":1},"seats":{"A":1.5}}""", "$.seats.A: must be a whole number in [0, 1000000]; got 1.5."
      "indices", """{"votes":{"A":1},"seats":{"A":1},"colour":1}""", "$.colour: unknown field; expected one of votes, seats, districts."
      "indices", """{"votes":null,"seats":{"A":1}}""", "$.votes: must not be null."
      "indices", """{"votes":{"A":1},"seats":5}""", "$.seats: is required: an object of party: seats."
    ]

/// The errors an input is refused with, one "path: message" per line ("" when it is accepted).
let private refusal (command: string) (json: string) =
    try
        if command = "indices" then ElectionJson.ComputeIndices json |> ignore else Allocate.FromJson json |> ignore
        ""
    with
    | :? SpecValidationException as e -> String.Join("\n", e.Errors |> Seq.map string)
    | :? ArgumentException as e -> e.Message

[<Tests>]
let tests =
    testList "Elections.Contract" [
        for command, json, expected in refusals do
            test $"{command} {json}" {
                Expect.equal (refusal command json) expected "the message and path of the refusal"
            }
        test "the contract's records are read by the generated code with the shared input options" {
            Expect.isTrue (Json.JsonInput.IsSourceGenerated ElectionsJson.Contract.AllocateInputContract) "allocate"
            Expect.isTrue (Json.JsonInput.IsSourceGenerated ElectionsJson.Contract.IndicesInputContract) "indices"
        }
        test "a district left without a name is named by its position, and absent fields take the documented defaults" {
            let input = ElectionJson.Parse """{"method":"sainte-lague","districts":[{"seats":2,"votes":{"A":5,"B":3}},{"name":"north","seats":1,"votes":{"B":4}}]}"""
            Expect.equal [ for d in input.Districts -> d.Name ] [ "district 1"; "north" ] "names"
            Expect.equal (List.ofSeq input.Parties) [ "A"; "B" ] "parties in order of first appearance"
            Expect.equal (List.ofSeq input.Districts[1].Votes) [ 0L; 4L ] "a party missing from a district has 0 votes"
            Expect.equal (input.TieBreak, input.Seed, input.System, input.Overhang, input.FirstDivisor) (TieBreak.MoreVotes, 1, "list", "keep", struct (7L, 5L)) "defaults"
            Expect.isNull input.Threshold "no threshold"
        }
    ]
