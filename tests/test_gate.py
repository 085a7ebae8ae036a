"""The evidence gate and answer form: what a question asks for must be in what is quoted, names it is
about must be in what is cited, follow-ups search their new condition, sentences are ordered and
flagged for display, and each carries its relevance to the question (hash embedder: fast, exact)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from assistant.answer.extractive import (
    _dependent_gaps,
    enumerates_indicators,
    foreign_subject,
    has_figure,
    is_list_item,
    missing_detail,
    missing_figure,
    question_names,
    relevance_level,
    title_spans,
    unanswered_part,
    unknown_terms,
    weight_asked,
)
from assistant.chat import Assistant, rewrite_followup
from assistant.corpus import add_document
from assistant.models import AnswerSentence, Filters, Hit, Turn
from assistant.retrieve import fuse_hits
from assistant.settings import REPO_ROOT, Settings
from assistant.text import (
    RE_CRIMINALIZING_TITLE,
    RE_PROTECTING_TITLE,
    asked_definition,
    asked_membership,
    asked_term,
    defined_terms,
    defines,
    requested_figure,
    requested_figures,
    split_sentences,
    unshouted,
)


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    s = Settings(corpus_dir=REPO_ROOT / "corpus", data_dir=tmp_path_factory.mktemp("d"), embedder="hash")
    return Assistant.from_settings(s, build_if_missing=True)


@pytest.mark.parametrize(("question", "kind"), [
    ("On what date did the court rule?", "date"),
    ("What year did the Working Group adopt them?", "date"),
    ("Which judge presided over the case?", "person"),
    ("Whats the name of the NGO that runs the shelter?", "organization"),
    ("and which donors paid for the shelters?", "organization"),
    ("Which European city has the most shelter beds?", "place"),
    ("How many labour inspectors does Brazil have?", "count"),
    ("what % of identified victims were prosecuted in 2020?", "count"),  # "%" typed for "percentage"
    ("whats the % of cases that end in a conviction", "count"),
    ("How much money did UNODC spend on it?", "money"),
    # a price asked the other way round (practitioners52: a 'trafficking-free' logo's certification)
    ("Is there an official logo roasters can print, and what does the certification cost?", "money"),
    ("what does the training cost per person?", "money"),
    ("what budget did UNODC set aside to roll the toolkit out?", "money"),
    # practitioners54: a fine asked by "what fine", not a line nor which kinds of fine
    ("What fine does the Working Group say a company should get if forced labour turns up?", "money"),
    ("What fines are imposed on carriers?", None),
    # instruments25: what someone "ended up having to pay" is an amount; what one pays for is not
    ("what did the marina end up having to pay?", "money"),
    ("What do employers have to pay for?", None),
    ("what do they have to pay attention to?", None),
    # a code asked by what it is ("what squawk code does the Protocol assign…") and a measure by its
    # name ("what minimum altitude…"; instruments13, 14)
    ("What transponder squawk code does the Smuggling of Migrants Protocol assign to aircraft?", "code"),
    ("What minimum altitude does the Protocol set for patrol aircraft flying over a small boat?", "count"),
    ("What ratio of escort officers to returnees does the Protocol require on a charter flight?", "count"),
    # a board or a regulator by name (practitioners65)
    ("Which state veterinary medical board does UNODC cite as requiring vets to report trafficking?",
     "organization"),
    ("which board members attended the session?", None),
    ("what code of conduct does the toolkit recommend for recruiters?", None),
    # a wage told as the case's measure is no amount asked (practitioners59)
    ("so a guy now works at my gym for way under minimum wage - is that trafficking, smuggling, or neither?", None),
    ("They earn less than minimum wage; is that exploitation?", None),
    ("What is the minimum wage for domestic workers under the toolkit?", "money"),
    ("what fine line separates smuggling from trafficking?", None),
    ("which UK Court of Appeal case set the test for the defence?", "case"),
    ("What court case is cited on child soldiers?", "case"),
    ("In which cases does the principle apply?", None),
    ("whats the phone number of the hotline to report a case?", "contact"),
    ("what is the email address of the secretariat?", "contact"),
    ("What's the postal address of the office in Vienna we should write to?", "contact"),  # practitioners50
    ("Does the toolkit address the office's own procedures?", None),
    ("what does the toolkit say about keeping victims' contact details confidential?", None),
    ("which shelter can take her? name and contact please", "contact"),
    ("which NGOs does UNODC partner with?", "organization"),
    ("minimum monthly wage domestic workers must receive according to the toolkit?", "money"),
    ("max number of hours a suspected victim can be held in police custody", "duration"),
    # an age asked as such (practitioners56: "at what age … most often recruited? a peak age?")
    ("At what age does UNODC say children are most often recruited by traffickers?", "count"),
    ("Is there a peak age we should watch for?", "count"),
    ("What age groups are most at risk?", None),
    ("How much is the fine a company faces if trafficking is found on its premises?", "money"),
    ("Who runs it? I need their contact details", "person"),
    ("checklist pls: gender-specific vulnerabilities to trafficking (women, girls, men, boys)", None),
    ("Indicators at an airport that a traveller is at risk - what does the toolkit list?", "indicators"),
    ("does the toolkit talk about contact with their families?", None),
    ("fine amount under the smuggling protocol for a driver", "money"),
    ("what is the amount of compensation a victim can claim?", "money"),
    ("total number of international migrants in the world", "count"),
    ("What percentage sentence reduction does UNODC recommend for a convicted victim?", "count"),
    ("What transaction threshold in euros should trigger a suspicious activity report?", "money"),
    ("the USD threshold above which a transfer is reported", "money"),
    ("what is the threshold for identifying a victim?", None),
    ("What case law is there on non-punishment?", None),
    ("Lots of women who were exploited end up in prison — does anything talk about it?", None),
    ("A woman who was trafficked recruited others; how should we handle that?", None),
    # practitioners26/27's and instruments2's first runs: an amount by what was lost or earned, in a
    # currency, or as an estimate of profits; a length of time offered as options; a name as such
    ("How much did insurers lose to staged accident rings last year?", "money"),
    ("What's UNODC's estimate of the tax revenue lost every year, in US dollars?", "money"),
    ("What estimate of the annual profits of smuggling networks does the Protocol give?", "money"),
    ("What is the fine per improperly documented passenger under the Protocol?", "money"),
    ("What retention period for call records does UNODC recommend — 6, 12 or 24 months?", "duration"),
    ("On what exact date did the Protocol enter into force?", "date"),
    ("When is UNODC publishing Part 2 of the toolkit?", "date"),
    ("a direct quote from a named survivor, with her first name and age", "person"),
    ("whats the name of the organisation that traces missing migrants, and who is the contact person?", "person"),
    # practitioners28: operators, airlines, banks, hotel chains by name; what a man in the story told
    # her is not what the question asks
    ("Which European rail or metro operators have already trained their ticket inspectors?", "organization"),
    ("A man kept telling her which hotel to go to. What should happen to her?", None),
    ("Can you tell me which NGO to contact?", "organization"),
    ("She was 17, and who is responsible for her now?", None),
    ("Which specific dating apps does UNODC name as the ones traffickers use?", "organization"),
    ("Which court decision first applied the benefit element to a rescue ship's captain?", "case"),
    ("What's the minimum floor space in square metres per worker for employer housing?", "count"),
    ("what is the clinical cut-off score on that screening tool?", "count"),
    ("What does the Protocol say about the profits smugglers make?", None),
    ("what does the toolkit mean by 'intersectionality'?", None),
    # practitioners30: a rate or fee after a hyphenated word; a hospital or clinic by name
    ("What's the two-year reoffending rate for victims released from prison?", "count"),
    ("what's the re-entry fee for a deported worker?", "money"),
    ("Which hospital or clinic in Vienna has UNODC designated as its reference centre?", "organization"),
    ("Does the toolkit say victims should get hospital care?", None),
    ("What does it cost victims when States fail to identify them?", None),  # a harm, not a price
    # practitioners32 and instruments4: schools, federations, an association, clubs, an event and
    # municipalities by name; the longest period; survivors' names
    ("Which boarding schools or education agents has UNODC named in student-visa cases?", "organization"),
    ("Which international notaries' association signed a memorandum with UNODC?", "organization"),
    ("Which shipwreck led to the drafting of the Smuggling of Migrants Protocol?", "organization"),
    ("Which border municipalities has UNODC picked as pilot sites?", "place"),
    ("What is the longest period a smuggled migrant may be held in detention?", "duration"),
    ("Can you give me the names of survivors quoted in the materials?", "person"),
    ("Does the toolkit say schools should teach children about trafficking?", None),
    # instruments3 and practitioners29: a delegation, a standard and States by name (not the standards
    # or principles a text lists, nor which States an obligation binds)
    ("Which delegation proposed the 'financial or other material benefit' wording?", "organization"),
    ("Which country's delegation put forward the wording of the recommendation?", "organization"),
    ("Which trailer security certification or sealing standard does the Protocol recognise?", "organization"),
    ("Which States have made a reservation to the dispute-settlement paragraph?", "place"),
    ("Which human rights principles and standards does UNODC list as relevant?", None),
    ("Which States must criminalise the smuggling of migrants?", None),
    # "signs or circumstances": circumstances a text describes answer it, listed as indicators or not
    ("What signs or circumstances does the 2022 paper say police should look out for? list form", None),
    ("What signs should police look out for? list form", "indicators"),
    ("What factors or indicators can be used to establish the link to the offence?", None),
    # practitioners33: a document's reference number, not a count or a telephone number
    ("What's the number of the UNODC due-diligence certificate a mining company has to hold?", "code"),
    ("what is the form number for applying to have a conviction removed?", "code"),
    ("what is the number of victims identified in 2020?", "count"),
    ("What's the number of the hotline?", "contact"),
    # practitioners31: a meeting "when and where", an average number, an airport
    ("When and where is the next UNODC working group meeting on the fishing sector?", "date"),
    ("When and where was the Working Group meeting held?", "date"),
    ("Whats the average number of reports per 1,000 employees a hotline should expect?", "count"),
    ("Which airport is at the top of the ranking?", "place"),
    # instruments5: a minimum number of people, a cash grant
    ("What is the minimum number of officers the Protocol requires in a boarding party?", "count"),
    ("How much reintegration cash grant does the Protocol guarantee to a migrant who goes home?", "money"),
    # practitioners35: hours in a number, a named corridor, a code for a certificate, an exact date
    ("What's the number of working hours per week above which UNODC considers a job to be forced labour?",
     "duration"),
    ("Which European rail freight corridors does UNODC identify as the main smuggling routes?", "place"),
    ("what's the official UN code or template for recording a death on the death certificate?", "code"),
    ("When do applications open this year for the Trust Fund's grants? we need the exact date", "date"),
    ("What month will UNODC publish the next Global Report?", "date"),
    ("which communities should our library outreach prioritise?", None),
    ("max penalty migrant smuggling greek law years", "duration"),
    # instruments6: a checklist of provisions, not of signs; an article named, not asked for
    ("For a monitoring checklist: list each provision of the Protocol that refers to the safety of migrants", None),
    ("List the forms of liability and, for each, which article 6 offences it applies to.", None),
    # practitioners37: a number to call, a name and an e-mail (not the number of something)
    ("What's the single 24/7 number UNODC says trafficking victims anywhere should be told to call?", "contact"),
    ("I'd like a name and email so I can invite her to our training day.", "contact"),
    ("What is the number of victims who call the police?", "count"),
    # instruments7: a bond's size, by how much, a minimum age, a ministry by name
    ("How large a security bond does the Smuggling Protocol require customs brokers to post?", "money"),
    ("By how much does the Protocol reduce the sentence of a smuggler who cooperates?", "count"),
    ("What minimum age does the Smuggling Protocol set for a child to travel alone?", "count"),
    ("Which ministry - interior or justice - does the Protocol say must take the lead?", "organization"),
    ("How large is the problem of smuggling at sea?", None),
    # the name of a case (practitioners39), not of a body; a case management system's is a body's
    ("what was the name of the irish puppy farm case where the workers turned out to be trafficked?", "case"),
    ("What is the name of the case management system they use?", "organization"),
    # a detail the story tells before the question asks is no detail asked for (practitioners37)
    ("Five women gave the same 'uncle' as emergency contact, same phone number. What should I be doing here?",
     None),
    ("Useful. Can you give us a checklist of what to look for during a visit?", "indicators"),
    ("He moved the boat twice. What's the phone number of the coastguard?", "contact"),
    # practitioners38 and 41: a fine asked for by its verb; beaches and landing sites by name
    ("How much does the Protocol say an airline gets fined per passenger it flies in?", "money"),
    ("Which landing beaches has UNODC flagged as the main departure points for the boats?", "place"),
    ("What does the Protocol say about carriers being fined?", None),
    # instruments8: a judgment asked for after "in which"; States Parties by what they notified
    ("In which International Court of Justice judgment has the Court interpreted article 8?", "case"),
    ("In which case does the Protocol apply to a crew member?", None),
    ("Which States Parties have notified that they will not use the Convention for extradition?", "place"),
    ("Which States Parties have to criminalise smuggling?", None),
    # an age that makes someone a child or an adult, asked for by a person's age (practitioners31,
    # 37, 40, 43); not an age the story tells beside another question (practitioners24)
    ("he turned 18 two weeks ago. do I treat him as a child or an adult for this?", "count"),
    ("Under the Protocol, is a 17-year-old still a 'child' for the trafficking definition?", "count"),
    ("he's actually 16, not 12. does it still count as child trafficking then?", "count"),
    ("she turns 18 in three weeks. does anything change once she's legally an adult?", "count"),
    ("When the person is under 18, do you still have to prove they were forced for it to count as child "
     "trafficking?", None),
    ("does this still apply if the boy is 17 and tells everyone he is an adult?", None),
    # the user's own country, and a checklist of what to do (practitioners46): no place, no signs asked
    ("What are the ways countries build non-punishment into law? List them so I can ask which one our country uses.",
     None),
    ("What should employers themselves do to avoid trafficking? Give me a checklist I can use.", None),
    # a day's or an hour's rate is an amount; the name of an agent or a lawyer is a person's (practitioners46)
    ("What hourly rate does UNODC recommend paying interpreters?", "money"),
    ("What was the name of the first football agent convicted of trafficking young players?", "person"),
    ("What is the name of the expert group that drafted it?", "organization"),
    # instruments10, read after its kept run: ports, a court by name (not a judgment's), the first
    # States to ratify
    ("Which ports does the Protocol list as official reporting points?", "place"),
    ("Which court was the first to convict a car-rental employee under the Protocol?", "organization"),
    ("Which were the first ten States to ratify the Protocol, and on what dates?", "place"),
    ("In which International Court of Justice judgment was article 8 read?", "case"),
    # practitioners60 and 61, read at their first runs: the youngest age, an amount of arrears, a case
    # by what it is called, councils and railway stations by name (not a council's resolution)
    ("What's the youngest age UNODC has recorded for a child being made to carry drugs?", "count"),
    ("What amount of council tax arrears should be written off for a victim?", "money"),
    ("What amount of evidence is needed before someone counts as a victim?", None),
    ("Is there a court decision on it? If so, what's the case called?", "case"),
    ("Which local councils does the toolkit name as good practice?", "organization"),
    ("Which Human Rights Council resolution does the paper cite?", "resolution"),
    ("Which major European railway stations does UNODC name as hotspots?", "place"),
    # practitioners62 and instruments15, read after their kept runs: a typical time, a river by name, an
    # age by "how old"; a number weighed as a factor is no count asked for
    ("what's the average time in months between first contact and formal identification?", "duration"),
    ("Which border river does UNODC identify as the deadliest crossing point?", "place"),
    ("How old was the youngest victim in the paper's case examples?", "count"),
    ("How old is the toolkit?", None),
    ("Can a court treat the sheer number of migrants in a group as an aggravating circumstance?", None),
    ("What is the total number of victims detected in 2018?", "count"),
    ("How many migrants were smuggled as a group?", "count"),
    # practitioners59, read after its kept run: restaurants and shops by name, not supply chains
    ("Which restaurant chains have been named as using trafficked kitchen staff?", "organization"),
    ("Which supply chains are most at risk of forced labour?", None),
    # (practitioners59: whom a treaty binds is its States parties, not countries by name)
    ("List each instrument the paper cites, and which countries it binds.", None),
    ("Which countries does the Protocol bind?", None),
    ("Which countries have ratified it?", "place"),
    # practitioners67: the exact number asked after the figure is named
    ("I'd like to quote UNODC's figure for how many nannies are victims. What's the exact number, and which "
     "year is it for?", "count"),
    ("What's the exact wording of the recommendation on data?", None),
    # practitioners66: a work's maker, a work by its title, a museum and a UN body by name (not a
    # library in "which communities our library outreach should prioritise")
    ("Which survivor's memoir does UNODC recommend, and who published it?", "person"),
    ("who translated the toolkit?", "person"),
    ("Which memoir does UNODC recommend as background reading?", "organization"),
    ("Which museum was it, and in which country?", "organization"),
    ("which UN body was the 2022 paper written for?", "organization"),
    ("Which communities should our library outreach prioritise?", None),
    ("Which bodies decide whether a victim is prosecuted?", None),
    # whether a text names some, asked for their names ("does it name any galleries…?")
    ("How many cases has UNODC recorded, and does it name any galleries where it happened?", "count"),
    ("does it name any galleries or artists' studios where it happened?", "organization"),
    ("Does the paper name any kinds of organisations?", None),
    # practitioners68: police departments by name; a work's title and author; a length in the unit asked
    ("Which police departments does UNODC hold up as best practice?", "organization"),
    ("What's the title and author of the survivor memoir that UNODC recommends?", "person"),
    ("What's the average sentence reduction, in months, that courts give victims?", "duration"),
    ("what's the point in days like these?", None),
    # instruments17: languages by name; "which ones" are the ones just asked for, not names
    ("Which languages does article 16 say the information has to be given in?", "organization"),
    ("List every obligation, with the article for each, so I can see which ones need staff or programme money.",
     None),
    # practitioners69 and 70: whether some of a kind of body were named, for their names; a thing of a
    # past case by what it was called (not a term "is called"); whether there is a case where…
    ("Have any UK water companies been named in these papers for using trafficked workers?", "organization"),
    ("Have any NGOs been involved in drafting the recommendations?", None),
    ("What was the park called and what happened to the owners?", "organization"),
    ("What is the principle called that protects victims from prosecution?", None),
    ("Is there a real court case in these papers where a zoo was caught using trafficked workers?", "case"),
    ("Is there a case for reforming the law on this?", None),
])
def test_what_a_question_asks_for(question: str, kind: str | None) -> None:
    assert requested_figure(question) == kind


@pytest.mark.parametrize(("question", "kinds"), [
    ("List every country that has a specialised unit, with the year each one was set up.", ["place", "date"]),
    ("Name the countries that vacate convictions.", ["place"]),
    ("What country hosted the meeting?", ["place"]),
    ("How many shelters are there, and when was the first one established?", ["count", "date"]),
    ("What prison sentences did the courts originally give them?", ["duration"]),
    ("when (month and year) was the slide deck presented?", ["date"]),
    ("what's the fee to lodge an appeal these days?", ["money"]),
    ("what's the latest global estimate for number of people in forced labour?", ["count"]),
    ("What are the costs of a prosecution unit?", ["money"]),
    ("How much is the fee for filing an asylum application?", ["money"]),
    ("whats the annual budget of the Section?", ["money"]),
    ("Which UNODC section gave the presentation?", ["organization"]),
    ("What is the maximum prison sentence under that law?", ["duration"]),
    ("What was the global conviction rate for trafficking in 2020?", ["count"]),
    ("Why are conviction rates so low?", []),
    ("List the obligations of States parties on assistance.", []),
    ("Does each State party have to criminalise it?", []),
    ("Who is the contact person at the secretariat and what's their email?", ["person", "contact"]),
    ("When is the next session of the Working Group scheduled?", ["date"]),
    ("when's the upcoming meeting?", ["date"]),
    ("When is non-punishment applied?", []),
    ("Which section of the Modern Slavery Act holds the defence?", ["provision"]),
    ("which article of the SOM Protocol says migrants shouldnt be liable?", ["provision"]),
    ("What does article 6(4) of the Protocol require?", []),
    # what a mandate is, not the resolution that gave it
    ("Working Group on Trafficking in Persons - established by which body, and with what mandate?", []),
    # a role asked for, not a person's name
    ("and who is meant to do that screening - us or the prosecutors?", []),
    ("Who is responsible for identifying victims at the border?", []),
    ("UNODC input to the SG report - which GA resolution was it submitted under?", ["resolution"]),
    ("pursuant to what mandate did the Secretariat prepare the paper?", ["resolution"]),
    ("What does the resolution on the protection of migrants urge States to do?", []),
    ("what indicators should border officers look for at arrival?", ["indicators"]),
    ("Indicators that a man might be a victim - pls give a checklist", ["indicators"]),
    ("Red flags of trafficking in a care home - what are they?", ["indicators"]),
    ("list the warning signs of debt bondage on farms", ["indicators"]),
    ("can you give me a checklist for spotting victims on farms?", ["indicators"]),
    # a checklist of something else the question names
    ("What core principles should guide responses? Looking for a checklist I can adapt.", []),
    # indicators talked about, not asked for; screening for signs is a yes/no question
    ("What did the Working Group propose about a mechanism on terminology and indicators?", []),
    ("are border officials expected to screen arrivals for signs of trafficking?", []),
    # whether there is a figure at all (instruments9): its wording answers that
    ("how quickly must a flag State answer - does the text give a deadline or only a standard?", []),
    ("Is there a fixed number of days, or is it just 'promptly'?", []),
    ("How many days does the flag State have to answer?", ["duration"]),
    # (practitioners57 and 58) kinds of bodies, not their names; a cut-off date; States by name for
    # a law of their own or as a text ranks them; a role asked with an adverb; companies by trade
    ("Which kinds of organizations and partners do the recommendations say governments should work with?", []),
    ("Is there a cut-off date after which old convictions can no longer be reopened?", ["duration"]),
    ("Which US states have safe harbor laws so minors can't be charged?", ["place"]),
    ("Which US states does UNODC say have the most labor trafficking in the drywall trades?", ["place"]),
    ("which States have to criminalize smuggling?", []),
    ("Who is actually supposed to apply non-punishment - just prosecutors and courts?", []),
    ("Which US pork processors does the UNODC material name as having trafficked workers?", ["organization"]),
    # (practitioners77 and 78) States by name as a text names them; delegations by name; a threshold
    # of turnover, an amount; a year asked "in which year"
    ("Which US states are named in the slides as having laws that let survivors get convictions vacated?",
     ["place"]),
    ("Which States are bound by the Protocol once they ratify it?", []),
    ("Which delegations objected to the non-punishment recommendation at the meeting?", ["organization"]),
    ("What annual turnover threshold does the toolkit set for a modern slavery statement?", ["money"]),
    ("Is there a threshold for how serious the offence must be?", []),
    ("In which year did UNODC first publish guidance on gyms?", ["date"]),
])
def test_every_detail_a_question_asks_for(question: str, kinds: list[str]) -> None:
    assert requested_figures(question) == kinds


@pytest.mark.parametrize(("question", "term"), [
    ("List the three constituent elements of the trafficking in persons definition.", "trafficking in persons"),
    ("what is the definition of 'child' under the protocol?", "child"),
    ("How does the Protocol define exploitation?", "exploitation"),
    ("how is abuse of a position of vulnerability defined?", "abuse of a position of vulnerability"),
    ("define forced labour for me", "forced labour"),
    ("What are the elements of money laundering under the Vienna Convention?", "money laundering"),
    ("Give me the international definition of smuggling of migrants", "smuggling of migrants"),
    ("What does 'compelled' mean in the non-punishment context?", "compelled"),
    ("What does UNODC mean by gender mainstreaming in its responses?", "gender mainstreaming"),
    ("what is meant by forced criminality?", "forced criminality"),
    # the words after "defined" say where, not what
    ("how is migrant smuggling defined in the protocol, and who does it protect?", "migrant smuggling"),
    # context, an explanation or an acronym: not a definition asked for
    ("Is consent relevant once any of the means in the trafficking definition were used?", None),
    ("What did the WG recommend regarding the definition of exploitation in national law?", None),
    ("What is the non-punishment principle?", None),
    ("What does NRM stand for?", None),
    ("What did the WG mean by that?", None),
    # what a notion implies in practice is an explanation; "actually" is not part of the term
    ("what does a human rights based approach actually mean in practice for border officers?", None),
    ("what does gender mainstreaming mean for prosecutors?", None),
    ("what does non-punishment actually mean?", "non-punishment"),
    ("non punishment principle - what does it actually mean in plain words?", "non punishment principle"),
    ("what does it actually mean?", None),
    # a quoted term ends at its closing quote, whatever follows it
    ("What does UNODC mean by a 'gender-responsive' approach to TIP work?", "gender-responsive"),
    ("What does UNODC mean by “forced criminality” in its slides?", "forced criminality"),
    # an approach's core elements are its parts; an offence's constituent elements define it
    ("What are the core elements of a human rights-based approach to TIP?", None),
    ("what are the constituent elements of migrant smuggling?", "migrant smuggling"),
    # a dash begins another question about the term
    ("how does unodc define aggravated smuggling of migrants - what makes it 'aggravated'?",
     "aggravated smuggling of migrants"),
    # what a definition holds asks for the definition
    ("list the forms of exploitation that are covered by the trafficking definition", "trafficking"),
    ("what are the 'means' in the trafficking definition (threat, force, deception...)?", "trafficking"),
    ("List the 'acts' in the trafficking definition (recruitment, transport etc).", "trafficking"),
    # practitioners31: by its standing ("the international definition of trafficking")
    ("What are the forms of exploitation listed in the international definition of trafficking?", "trafficking"),
    ("what are the 'means' in the definition of trafficking in persons?", "trafficking"),
    # where a definition is, not what: "define in its use-of-terms article"
    ("Which terms does the Smuggling of Migrants Protocol define in its use-of-terms article?", None),
    ("Is 'compulsion' confined to the means listed in the definition of trafficking?", None),
    # whether something counts as an element: texts answer by saying it is a form of it
    ("Can being made to move money as a mule count as 'exploitation' under the trafficking definition?", None),
    ("Which offences are listed in the 2022 paper?", None),
    # whether something is one of the definition's acts or means: its list (instruments5, practitioners34)
    ("Does abusing someone's trust count as one of the 'means' in the trafficking definition?", "trafficking"),
    ("Can just housing people count as one of the acts in the trafficking definition (harbouring)?", "trafficking"),
    # the word named, not "word"
    ("Does the Protocol define the word 'migrant' anywhere in its definitions article?", "migrant"),
    ("how does the Protocol define the term \"trafficking in persons\"?", "trafficking in persons"),
    ("What is the meaning of the concept of exploitation?", "exploitation"),
    # a definition met, or named as where a part of it is ("In the UN definition of migrant smuggling,
    # does the 'material benefit' have to be cash?"), is not asked for (practitioners65) — unless what
    # is asked is one of its listed acts or means (practitioners43)
    ("Does the 2022 paper only protect people who meet the full trafficking definition?", None),
    ("In the UN definition of migrant smuggling, does the 'financial or other material benefit' have to be "
     "cash, or can work count?", None),
    ("Is 'fraud' actually listed as one of the means in the UN definition of trafficking?", "trafficking"),
    ("Under the Protocol, what is the definition of a vessel?", "vessel"),
    ("What definition of forced labour does the toolkit use? I'm writing a policy", "forced labour"),
    # "what does the toolkit mean by X" asks about X, not about the toolkit
    ("Quick one before a council debate: what does the toolkit mean by 'intersectionality'?", "intersectionality"),
    # practitioners66: a definition by its standing alone is the one of the field's term the
    # question names, not a definition of "international"
    ("Our code quotes the trafficking definition. What are all the 'means' listed in the international "
     "definition (threats, deception, etc)?", "trafficking"),
    ("What are all the 'means' listed in the international definition?", None),
    # practitioners69: a definition's part by its name in it, and what a definition is said to list;
    # not where a definition is ("which treaty contains…": the treaty, by name)
    ("What counts as the 'means' part of trafficking in these texts - threats, deception, debts and so on?",
     "trafficking"),
    ("My foreman says it's only trafficking if someone is moved. What are all the actions the UN definition "
     "lists?", "trafficking"),
    ("Which international treaty actually contains the UN definition of trafficking in persons that the toolkit "
     "uses?", None),
    ("Which article sets out the definition of smuggling of migrants?", None),
])
def test_the_term_a_question_asks_to_define(question: str, term: str | None) -> None:
    assert asked_definition(question) == term


def test_a_definition_is_given_not_merely_mentioned() -> None:
    assert defines("smuggling of migrants", "(a) “Smuggling of migrants” shall mean the procurement, in order "
                                            "to obtain, directly or indirectly, a financial or other material benefit")
    assert defines("serious crime", "Article 2(b) of UNTOC defines ‘serious crime’ as conduct constituting an offence")
    assert not defines("trafficking", "all the means set out in the definition of trafficking")
    assert not defines("child", "“Smuggling of migrants” shall mean the procurement of illegal entry")
    assert not defines("smuggling of migrants", "the Resolution refers to combating migrant smuggling and "
                                                "protecting the rights of smuggled migrants")
    assert defines("fraudulent travel document", "(c) “Fraudulent travel or identity document” shall mean any")
    # words the stemmer respells ("entry" -> "entri", "labour" -> "labor") still match as printed
    assert defines("illegal entry", "(b) “Illegal entry” shall mean crossing borders without complying")
    assert defines("labour exploitation", "“Labour exploitation” shall mean work exacted under menace")
    assert defines("trafficking", "(a) “Trafficking in persons” shall mean the recruitment, transportation")
    assert not defines("trafficking", "the trafficking case was heard and the court said it means nothing")
    assert not defines("trafficking", "Lack of birth registration as a vulnerability factor to trafficking means that "
                                      "some migrant populations may not be registered")
    # no formal definition, but sentences about the term as their subject explain it
    assert defines("gender mainstreaming", "Gender mainstreaming does not only speak to the need to ensure that "
                                           "gender-responsive approaches are taken to all activities.")
    # (a sentence about a thing named after the term is not about the term: practitioners69)
    assert not defines("trafficking", "The Trafficking in Persons Protocol is now nearing universal ratification.")
    assert defines("trafficking", "Trafficking in persons is a serious crime and a grave violation of human rights.")
    assert defined_terms("Article 2(b) defines ‘serious crime’ as conduct; “Child” shall mean a person") == \
        ["serious crime", "Child"]
    assert defined_terms("the “means” element of the definition was not proven") == []


def test_a_definition_the_texts_do_not_give_is_refused(assistant: Assistant) -> None:
    turn = assistant.ask("What are the three elements of the trafficking in persons definition?")
    assert turn.refused and turn.refusal_kind == "missing_detail"
    assert "definition of “trafficking in persons”" in turn.answer
    assert not assistant.ask("What is the definition of serious crime under UNTOC?").refused


def test_words_of_a_body_or_instrument_are_not_places() -> None:
    text = "In 2021 the European Commission released the EU Strategy on Combating Trafficking in Human Beings."
    spans = title_spans(text)
    assert any(text[a:b].startswith("European Commission") for a, b in spans)
    assert any("Human Beings" in text[a:b] for a, b in spans)
    assert not has_figure("place", text, "Which European city has the most shelter beds?")
    assert has_figure("place", "A pilot shelter opened in Rotterdam in 2019.", "Which city opened one?")
    assert has_figure("organization", "The Coalition Against Trafficking in Women runs it.", "Which NGO runs it?")
    # (practitioners59, 22, 53) an abbreviation in brackets after a body's title is that body's, no
    # place; the word for a kind of body is no body's name; a law's title is no person's name
    osce = "In 2013 the Organization for Security and Cooperation in Europe (OSCE) developed recommendations."
    assert not has_figure("place", osce, "Which country do the slides name?", specific=lambda w: True)
    assert has_figure("place", "In 2013 the Ministry of Justice in Tirana (Albania) developed recommendations.",
                      "Which country do the slides name?", specific=lambda w: True)
    partners = "Through the work of its NGO partners, the Trust Fund supports the recovery of victims."
    assert not has_figure("organization", partners, "Which NGOs does UNODC recommend we refer victims to?",
                          specific=lambda w: True)
    laws = "Examples of legislative responses include the California Transparency in Supply Chains Act (2010)."
    assert not has_figure("person", laws, "What's the name of the young person UNODC appointed as youth ambassador?",
                          specific=lambda w: True)


def test_a_name_the_question_gives_is_not_new_in_its_possessive() -> None:
    q = "Does UNODC rank airports? Which airport is at the top?"
    assert not has_figure("place", "Illustrating UNODC's work at the global level, the fund grew.", q)
    assert has_figure("place", "Illustrating UNODC's work at Heathrow, the fund grew.", q)


_SPACE = "What's the minimum floor space in square metres per worker?"
_EXACT = "On what exact date did the Protocol enter into force?"
_RELEASED = "The first Global Study, released in 2018, shows the routes."
_APPS = "Which specific dating apps does UNODC name as the ones traffickers use?"
_NGO = "which NGO near the border runs workshops for schools?"
_ALTITUDE = "What minimum altitude does the Protocol set for patrol aircraft flying over a small boat?"
_SQUAWK = "What transponder squawk code does the Protocol assign to aircraft suspected of smuggling?"
_DONORS = "How much did the projects cost, and which donors paid for them?"
_PROJECT = "Which Europol operational project deals with rental cars used in smuggling?"
_DEADLINE = "What's the deadline to apply for the small grants?"
_PROCESSORS = "Which US pork processors does the UNODC material name?"


@pytest.mark.parametrize(("kind", "text", "question", "given"), [
    # a measure in its unit, not an article number in a list of rights
    ("count", "- The right to work (UDHR art 23; ICESCR arts 6, 7, 10)", _SPACE, False),
    ("count", "each worker must have at least 6 square metres of floor space", _SPACE, True),
    # an exact date is a day of a month: a year alone does not give it
    ("date", _RELEASED, _EXACT, False),
    ("date", "It entered into force on 28 January 2004.", _EXACT, True),
    ("date", _RELEASED, "When was it released?", True),
    # "which NGO / which dating apps": a name beside a word for that kind of body, not any name
    ("organization", "With ILO and UN Women it supports the Safe and Fair programme.", _APPS, False),
    ("organization", "Traffickers advertise on apps such as Tinder and Bumble.", _APPS, True),
    ("organization", "States parties should consider establishing dedicated Prosecution Units.", _NGO, False),
    ("organization", "For example, the NGO Agar Ethiopia supported 125 women.", _NGO, True),
    # "which donors": a fund a text names receives money; a donor is one the text says gave
    ("organization", "UNODC continued to manage the United Nations Voluntary Trust Fund for Victims.", _DONORS, False),
    ("organization", "The project was funded by the Government of Norway.", _DONORS, True),
    ("organization", "Donor States such as Norway and Japan supported it.", _DONORS, True),
    ("organization", "It was supported by the Fund for Peace in Norway.", _DONORS, False),
    ("organization", "In the year before that, for many projects across several regions and countries, "
                     "Donors such as Norway gave.", _DONORS, False),
    # one project asked by its name: a name beside a word for a project, not any body named
    ("organization", "It works with the Sustainable Development Goals targets in mind.", _PROJECT, False),
    ("organization", "Europol runs the operational project Atlas on car hire.", _PROJECT, True),
    # "which pork processors": a name beside a word for a firm of that trade
    ("organization", "Examples include the California Transparency in Supply Chains Act.", _PROCESSORS, False),
    ("organization", "Workers were found at plants of the processor Acme Meats.", _PROCESSORS, True),
    # a measure asked by its name is given by a number beside that name; a code asked by what it is,
    # by a code (and a title page's line is read without failing)
    ("count", "Aircraft shall keep a minimum altitude of 500 feet over the vessel.", _ALTITUDE, True),
    ("count", "Within six months of 12 May 2004 the States Parties shall report.", _ALTITUDE, False),
    ("code", "Protocol against the Smuggling of Migrants by Land, Sea and Air", _SQUAWK, False),
    ("code", "Aircraft so suspected shall squawk code A7500.", _SQUAWK, True),
    # an age range is no period: "aged between 15 and 32 years" gives no deadline
    ("duration", "Agar Ethiopia supported 125 women and girls, aged between 15 and 32 years.", _DEADLINE, False),
    ("duration", "Applications must be made within 30 days of arrival.", _DEADLINE, True),
])
def test_a_detail_is_given_in_the_form_asked(kind: str, text: str, question: str, given: bool) -> None:
    assert has_figure(kind, text, question) is given


def test_a_treaty_sentence_gives_no_count_or_ministry_by_its_references() -> None:
    """instruments7: "article 6(4) of the … Protocol" gives no number ("4") for "what minimum age…";
    an age is given in years; "which ministry" is answered only by a name beside a word for one."""
    age = "What minimum age does the Protocol set for a child to travel alone?"
    assert not has_figure("count", "article 6(4) of the Trafficking in Persons Protocol requires that States "
                                   "take into account the age of victims", age)
    assert has_figure("count", "A child is any person under 18 years of age.", age)
    assert has_figure("count", "“Child” shall mean any person under eighteen years of age.", age)
    assert not has_figure("count", "In 2018 the Working Group discussed children in 12 countries.", age)
    lead = "Which ministry - interior or justice - must take the lead on implementing it?"
    assert not has_figure("organization", "For example, Sudan became a State Party to the Protocol in 2018.", lead)
    assert has_figure("organization", "The Ministry of Justice of Sudan coordinates its implementation.", lead)


def test_a_title_pages_name_is_its_presenter_not_a_person_asked_by_a_duty() -> None:
    """practitioners46: "the person at UNODC in charge of working with rail companies" is not
    whoever a title page names; "who presented the slides" is."""
    cover = "Tiphanie Crittin, Human Trafficking and Migrant Smuggling Section, UNODC"
    assert has_figure("person", cover, "Who presented the 2023 slides?", line=True)
    assert not has_figure("person", cover, "Who is the person at UNODC in charge of working with rail companies?",
                          line=True)
    assert not has_figure("person", cover, "Who at UNODC is responsible for transport companies?", line=True)


def test_a_detail_of_the_asked_kind_must_be_in_the_text() -> None:
    assert has_figure("person", "Her final report was by Maria Grazia Giammarinaro.", "Who wrote it?")
    assert not has_figure("person", "In 2021 the European Court of Human Rights gave judgment.", "Which judge?")
    assert has_figure("date", "adopted at its meeting of 10 to 11 September 2020", "When?")
    fee = "How much is the fee for filing an asylum application?"
    assert not has_figure("money", "It awarded €25,000 in damages and €20,000 for costs and expenses.", fee)
    assert has_figure("money", "The application fee is USD 50 for adults.", fee)
    q = "How many labour inspectors are there?"
    assert has_figure("count", "training all 800 Greek labour inspectors", q)
    assert not has_figure("count", "UNODC organized 261 technical cooperation activities", q)
    case = "Which case set the test?"
    assert has_figure("case", "in the case of The Prosecutor v. Dominic Ongwen, the Court noted", case)
    assert has_figure("case", "a judgment in the case of V.C.L. and A.N. v. the United Kingdom", case)
    assert not has_figure("case", "the UK Modern Slavery Act (2015) and the Duty of Vigilance law", case)
    call = "What is the hotline's phone number?"
    assert has_figure("contact", "Call the national hotline on +254 800 722 203 at any time.", call)
    assert has_figure("contact", "Write to unodc-htmss@un.org for the toolkit.", call)
    assert not has_figure("contact", "States should set up hotlines for victims in 2020.", call)
    # an article or section asked for must be named, of the kind asked
    act = "Which section of the Modern Slavery Act holds the defence?"
    assert has_figure("provision", "The defence is in section 45 of the Act.", act)
    assert not has_figure("provision", "Article 5 of the Protocol protects migrants.", act)
    assert not has_figure("provision", "The UK Modern Slavery Act (2015) is an example.", act)
    assert has_figure("provision", "Article 5 of the Protocol protects migrants.", "which provision says so?")
    # a resolution asked for is given by its number, not by "the Resolution"
    res = "Under which resolution was the fund set up?"
    assert has_figure("resolution", "established by the Global Plan of Action in GA Resolution 64/293.", res)
    assert has_figure("resolution", "(pursuant to General Assembly Resolution A/RES/72/179 of 2017)", res)
    assert not has_figure("resolution", "The Resolution urges States to implement the Protocols.", res)
    # a document symbol or a range of years is not a telephone number
    assert not has_figure("contact", "It builds on the paper CTOC/COP/WG.4/2020/2 of 2019-2020.", call)
    assert has_figure("contact", "Hotline: 020 7946 0958.", call)



def test_a_detail_is_of_what_is_asked() -> None:
    """How often is not how long; a percentage of traffickers is not one of victims; a list item's
    first word is no name."""
    years = "By how many years should the sentence be reduced?"
    assert not has_figure("duration", "a report published by UNODC every two years", years)
    assert has_figure("duration", "the sentence was reduced by two years", years)
    # practitioners66: a span of days gives how many days a meeting lasted — not a deadline's length
    held = "At its meeting held in Vienna from 10 to 11 September 2020, the Working Group adopted"
    assert has_figure("duration", held, "How many days did the Working Group meet for in September 2020?")
    assert has_figure("duration", "the tenth meeting, held on 10 and 11 September 2020", "how long did it last?")
    assert not has_figure("duration", held, "when's the registration deadline for the next session?")
    assert not has_figure("duration", held, "What's the minimum prison sentence the paper recommends?")
    # practitioners69: nor a period a text would set ("how many days … should logs be kept")
    assert not has_figure("duration", held, "How many days do the 2020 Working Group recommendations say hosting "
                                            "providers should retain logs?")
    # a museum or a gallery asked for by name: a name beside a word for one, not any body's name
    galleries = "does it name any galleries or artists' studios where it happened?"
    assert not has_figure("organization", "Additionally, the Inter-Agency Coordination Group against Trafficking "
                                          "in Persons (ICAT) notes other ways.", galleries)
    assert has_figure("organization", "Two couriers were stopped at the Halden Gallery in 2019.", galleries)
    # a language asked for by name, beside a word for one (not any capitalised word)
    languages = "Which languages must the information on consular notification be given in?"
    assert has_figure("organization", "The Arabic, Chinese, English, French, Russian and Spanish texts are "
                                      "equally authentic.", languages)
    assert not has_figure("organization", "The State Party shall inform the person without delay under "
                                          "Article 36 of the Vienna Convention.", languages)
    # a hyphenated word is one word of what is counted: "art-world trafficking cases" counts cases
    cases = "How many art-world trafficking cases has UNODC recorded?"
    assert not has_figure("count", "In 2018, 142 trafficking victims were detected in the region.", cases)
    assert has_figure("count", "UNODC recorded 12 trafficking cases in the art world.", cases)
    # a share of others is no answer; nor, for a share or a rate, is a count ("2,497 victims")
    for asked, wrong, right in (
        ("what percentage of victims trafficked for forced labour are men?",
         "in 2018, 62% of convicted traffickers were male", "men were 20% of the victims detected"),
        ("What was the global conviction rate for trafficking in persons in 2020?",
         "Based on information reported in 387 court cases (involving 2,497 victims).",
         "Convictions followed in 12% of the cases detected."),
        ("What proportion of convicted traffickers were women in 2018?",
         "Some 2,497 convicted traffickers were identified.",
         "In 2018, 38 per cent of convicted traffickers were women."),
        # what is counted is the phrase's head (practitioners23, 36): "trafficking victims" are victims,
        # whatever share of traffickers stands beside the word "trafficking"
        ("What percentage of trafficking victims detected in agriculture are men?",
         "in 2018, 62% of convicted traffickers were male", "men were 20% of the victims detected"),
        ("what percentage of trafficked construction workers get injured",
         "in 2018, 62% of convicted traffickers were male", "some 30% of the construction workers were injured"),
    ):
        assert not has_figure("count", wrong, asked) and has_figure("count", right, asked), asked
    assert has_figure("count", "3 of them", "how many of us were trained?")  # a pronoun: any number counts us
    ngo = "which NGO gives free legal aid?"
    assert not has_figure("organization", "- Non-criminalization of migrants for being the objects of smuggling", ngo)
    assert has_figure("organization", "- Legal aid is given by La Strada International in several countries", ngo)
    rail = "Which rail operators have trained their ticket inspectors?"
    assert not has_figure("organization", "The Greek National Rapporteur trained all 800 Greek labour inspectors.",
                          rail, specific=lambda w: True)
    assert has_figure("organization", "Inspectors of the rail operator Trenitalia were trained in 2022.", rail,
                      specific=lambda w: True)
    airlines = "Which airlines have trained their cabin crew?"
    assert not has_figure("organization", "The Protocol against the Smuggling of Migrants by Land, Sea and Air "
                          "applies.", airlines, specific=lambda w: True)


@pytest.mark.parametrize(("question", "elsewhere", "beside"), [
    ("Which delegation proposed the wording?", "The Working Group met in Vienna; UNODC presented the paper.",
     "The delegation of Italy proposed the wording."),
    ("Which clinic in Vienna examines trafficking victims?", "The Working Group met in Vienna with UNODC and OSCE.",
     "Victims are examined at the Vienna General Hospital free of charge."),
    ("Which boarding schools has UNODC named in trafficking cases?",
     "UNODC worked with the Global Protection Cluster in 2019.",
     "Pupils of St Mary's School were recruited by the network."),
    # (practitioners59: a law's name holding "Supply Chains" names no restaurant chain)
    ("Which restaurant chains have been named as using trafficked kitchen staff?",
     "Examples of legislative responses include the California Transparency in Supply Chains Act (2010).",
     "Kitchen staff of the restaurant chain Golden Wok were found in debt bondage."),
    # (practitioners65: "which state veterinary medical board": a name beside a word for a regulator)
    ("Which state veterinary medical board does UNODC cite as requiring vets to report labour trafficking?",
     "UNODC supported a training course organized by the Office of the Greek National Rapporteur.",
     "The Oregon Veterinary Medical Examining Board requires such reports."),
    # (practitioners61: "which local councils": a name beside a word for local government, not a
    # national rapporteur's office)
    ("Which local councils does the UNODC toolkit name as good-practice examples for training reception staff?",
     "UNODC supported a training course organized by the Office of the Greek National Rapporteur.",
     "Front-desk staff of Camden Borough Council were trained in 2021."),
    # (practitioners64: a word of a title's — "Principles on Business and Human Rights" — names no
    # company; a company's name may end in its word)
    ("Which insurance companies does UNODC list as having refused cover to businesses linked to trafficking?",
     "The effective implementation of the UN Guiding Principles on Business and Human Rights can further "
     "serve to prevent human rights abuses in business practices.",
     "Cover was refused by Harbour Mutual Insurance Company after the audit."),
])
def test_a_body_asked_for_by_its_kind_is_named_beside_a_word_of_that_kind(question: str, elsewhere: str,
                                                                          beside: str) -> None:
    """"Which delegation / clinic / school…": a name answers only beside a word of that kind, not any
    name the sentence holds."""
    assert not has_figure("organization", elsewhere, question, specific=lambda w: True)
    assert has_figure("organization", beside, question, specific=lambda w: True)


@pytest.mark.parametrize(("question", "elsewhere", "beside"), [
    ("What's the name of the accreditation body UNODC endorses for language schools?",
     "UNODC supported this process through a Regional Pre-ratification and Accession Workshop.",
     "Schools are accredited by the British Council's Accreditation Scheme."),
    ("what is the name of that regional hotline scheme?", "The Working Group met in Vienna with UNODC.",
     "The Nordic Hotline, a regional scheme, answers calls in five languages."),
])
def test_a_body_asked_for_by_what_it_does_is_named_beside_those_words(question: str, elsewhere: str,
                                                                       beside: str) -> None:
    """"The name of the accreditation body…": a name answers only beside a word the question says
    which body by, not any name the sentence holds."""
    assert not has_figure("organization", elsewhere, question, specific=lambda w: True)
    assert has_figure("organization", beside, question, specific=lambda w: True)
    # no such words: any name still answers "what's the name of the body…"
    assert has_figure("organization", elsewhere, "What's the name of the body that ran it?", specific=lambda w: True)


def test_an_amount_asked_in_a_currency_is_given_in_it() -> None:
    """An award "in pounds" is not given by an award in euros; without a currency, either gives it."""
    pounds = "What's the average award in pounds that tribunals have made to trafficking victims?"
    euros = "The Court awarded each applicant €25,000 in respect of non-pecuniary damage."
    assert not has_figure("money", euros, pounds)
    assert has_figure("money", "The tribunal awarded her £12,000 for unpaid wages.", pounds)
    assert has_figure("money", "The tribunal awarded her 12,000 pounds for unpaid wages.", pounds)
    assert has_figure("money", euros, "What's the average award made to trafficking victims?")
    assert has_figure("money", euros, "How much was awarded, in €?")
    assert not has_figure("money", euros, "How much was awarded, in US dollars?")


def test_a_name_asked_first_is_asked_before_the_year_asked_after_it() -> None:
    """"Which boxing federations has UNODC partnered with, and since what year?": any passage with a
    year in it gives a year; the federations come first, and both must be given."""
    assert requested_figures("Which boxing federations has UNODC partnered with, and since what year?") == \
        ["organization", "date"]
    assert requested_figures("In what year did the Working Group meet?") == ["date"]
    assert requested_figures("How many shelters are there, and when was the first one established?") == \
        ["count", "date"]


def test_a_reference_number_is_one_beside_what_it_numbers() -> None:
    """The certificate's number is a code of letters and digits beside "certificate"; a resolution's
    symbol or a count of States elsewhere is not it."""
    q = "What's the number of the UNODC due-diligence certificate a mining company has to hold?"
    assert has_figure("code", "Suppliers must hold certificate SA8000 issued by an accredited auditor.", q)
    assert has_figure("code", "Each licence carries a number (No. 4471) issued by the ministry.",
                      "what is the licence number?")
    assert not has_figure("code", "The Protocol (A/RES/55/25) was adopted in 2000 with 174 States parties.", q)
    assert not has_figure("code", "ISO 9001 is the quality standard most firms follow, and it says nothing about "
                          "forced labour at all; a certificate is renewed yearly.", q)


def test_a_last_sentence_typed_without_its_question_mark_still_asks() -> None:
    assert "Strada" in question_names("which NGOs work on it? names please, is La Strada one of them")
    assert "Strada" not in question_names("which NGOs work on it? I volunteer at La Strada.")


def test_names_the_question_is_about() -> None:
    assert question_names("How many labour inspectors does Brazil's ministry have?") == ["Brazil"]
    # English as the answer's language is no subject (practitioners55, practitioners31); another
    # language, or English naming a thing, is
    assert question_names("Could you explain in simple English the difference, based on the toolkit?") == []
    assert question_names("Which of the two English terms should I be going for?") == []
    assert question_names("Is the Protocol available in French?") == ["French"]
    # a language someone in the question speaks is who they are (practitioners88: "a middle-aged local
    # man who speaks perfect English"), not what the texts must mention
    assert question_names("Could a local man who speaks perfect English be a trafficking victim?") == []
    assert question_names("Does the toolkit say anything about Arabic-speaking drivers?") == []
    assert question_names("He doesn't speak a word of Polish. Must the police find an interpreter?") == []
    # an acronym after a possessive is the asker's own people (practitioners60: "our MD keeps calling them…")
    assert question_names("does unodc say they are 'victims'? our MD keeps calling them that") == []
    assert question_names("Does our NGO's IOM partner say so?") == ["IOM"]
    # an acronym naming the occasion the answer is for (practitioners57: "for a staff INSET day")
    assert question_names("I need a list for a staff INSET day: what principles should guide staff?") == []
    assert question_names("What does the toolkit say about ESOL classes?") == ["ESOL"]
    assert question_names("What does the English Modern Slavery Act say?") == ["English", "Modern", "Slavery"]
    assert question_names("Under the Council of Europe convention, is it an obligation?") == ["Europe"]
    assert question_names("Does the UNODC toolkit say so? I'm asking for a client.") == ["UNODC"]
    assert question_names("First, can we return him? Second, what if he is a victim?") == []
    # the field's shorthand for a role or a notion is no name
    assert question_names("can you draft three bullet points for the MP's briefing?") == []
    assert question_names("which vulnerabilities does UNODC mention (women, men, LGBTI?)") == ["UNODC"]
    assert question_names("do VoTs in Greece get a reflection period?") == ["Greece"]
    # an everyday abbreviation for a thing is no name either (practitioners48: "she's got no ID")
    assert question_names("What if she says she's 18 but has no ID, and her CV says Ghana?") == ["Ghana"]
    # a code of letters and digits names a road, a group; a question's own number does not
    assert question_names("Which truck stops along the E40 has UNODC identified as hotspots?") == ["E40", "UNODC"]
    assert question_names("Q1 what is a joint investigation team for. Q2 do we need a treaty first?") == []
    # a nationality describing the people in the case is context, not what the question is about
    assert question_names("We found two Vietnamese teenagers tending plants; can Vietnamese law apply?") == ["Vietnamese"]
    assert question_names("Two Nigerian women were arrested for soliciting. Are they victims?") == []


def test_a_quote_about_another_country_does_not_answer(assistant: Assistant) -> None:
    pid = next(p.id for p in assistant.retriever.passages.values() if "800 Greek labour" in p.text)
    greek = [AnswerSentence(text="The Greek National Rapporteur aims at training all 800 Greek labour "
                                 "Inspectors.", citations=[pid])]
    assert "Brazil" in missing_detail("How many labour inspectors does Brazil have?", greek, assistant.retriever)
    assert missing_detail("How many Greek labour inspectors will be trained?", greek, assistant.retriever) == ""


def test_a_date_answers_when_something_happened_only_beside_what_is_dated() -> None:
    """"When did UNODC launch its training for hotel staff?": a year in a sentence on other activities
    is no answer; the event's verb may be told in other words, and names are checked elsewhere."""
    rare = lambda word: True  # noqa: E731 - every word counts as rare here
    hotel = "When did UNODC launch its training for hotel staff on spotting trafficking, and who ran it?"
    assert not has_figure("date", "Overall, in 2018, UNODC organized or contributed to 261 technical cooperation "
                          "activities.", hotel, rare)
    assert has_figure("date", "In 2019 UNODC trained the staff of three hotel chains.", hotel, rare)
    model = "When did UNODC bring out the Model Legislative Provisions, and which article covers non-punishment?"
    assert has_figure("date", "The Model Legislative Provisions, published by UNODC in 2020, include it.", model, rare)
    # a title page's date dates its document: when the slides were given, not when anything else
    # happened (practitioners72: "What year did the US first write the principle into federal law?")
    assert has_figure("date", "25 April 2023", "When were the April 2023 slides given, and by whom?", rare, line=True)
    assert has_figure("date", "25 April 2023", "When was it published?", rare, line=True)
    assert not has_figure("date", "25 April 2023", hotel, rare, line=True)
    assert not has_figure("date", "25 April 2023", "What year did the US first write the non-punishment principle "
                          "into federal law? I'm assuming the UNODC slides mention it.", rare, line=True)
    # "from what date does…", "what year did…" date something too, read to the clause's end
    ban = "From what date does the EU ban on products made with forced labour apply to building materials?"
    assert not has_figure("date", "The Protocol of 2014 to the Forced Labour Convention, 1930, refers to it.", ban,
                          lambda word: word in ("ban", "products", "building", "materials"))
    year = ("What year did the working group on trafficking in persons adopt its recommendations on victims "
            "compelled to commit offences?")
    offences = lambda word: word == "offences"  # noqa: E731 - the clause's last word, its only rare one
    assert not has_figure("date", "In 2020 the Working Group adopted recommendations on data.", year, offences)
    assert has_figure("date", "In 2020 it adopted recommendations on offences victims were compelled to commit.", year,
                      offences)


def test_a_year_the_question_asks_about_must_be_in_what_is_cited(assistant: Assistant) -> None:
    pid = "wg4-2020-recs:para-1"
    said = [AnswerSentence(text="At its meeting held in Vienna from 10 to 11 September 2020, the Working Group "
                                "adopted the recommendations.", citations=[pid])]
    why = missing_detail("When is the WG meeting in 2025? Exact dates please", said, assistant.retriever)
    assert "“2025”" in why
    assert missing_detail("When did the WG meet in 2020?", said, assistant.retriever) == ""
    # a year in the case's story, or inside a document symbol, is not what is asked about
    assert missing_detail("He was arrested in 2017. When did the WG meet?", said, assistant.retriever) == ""
    assert missing_detail("Is CTOC/COP/WG.4/2019/2 cited when the WG met?", said, assistant.retriever) == ""
    # the year of the cited document's date ("2022-04-07") counts, its symbol's digits do not
    r = assistant.retriever
    pid = next(p.id for p in r.passages.values() if p.document_id == "wg4-2022-2" and "2022" not in p.text
               and p.label_kind != "front")
    quoted = [AnswerSentence(text=r.corpus.passages[pid].text, citations=[pid])]
    assert missing_detail("What does the 2022 paper say about this?", quoted, r) == ""


def test_a_kind_of_thing_the_texts_never_name_is_unknown(assistant: Assistant) -> None:
    """"Which dog breeds does UNODC say gangs use?" (practitioners39): the texts name no breed, and
    no word of its synonyms; kinds they do use ("NGOs", "recommendations", "children" for "kids"),
    or words of the story around it ("what if the pickers are…"), are not unknown."""
    r = assistant.retriever
    assert unknown_terms("Which dog breeds does UNODC say trafficking gangs use most in puppy farms?", r) == [
        "dog breeds"]
    assert unknown_terms("Which specific zorblan apps does the toolkit name?", r) == ["zorblan apps"]
    for known in ("which NGOs does the toolkit mention?", "Which recommendations are about children?",
                  "Which kids are most at risk?", "what if the pickers are EU citizens?",
                  "The dog breeds were sold. What rights do the workers have?",
                  # a clause inside the question (practitioners38), not its asking words
                  "Is there anything in the UN material about what businesses like ours should be doing here?",
                  # a kind the texts name in their own words: "tricks" are fraud or deception
                  # (practitioners41, 75: a recruiter's tricks, a model scout's list)
                  "what tricks do recruiters use to get people from poor neighbourhoods to go with them?",
                  "Which recruitement tricks do the documents say traffickers use to reel people in?",
                  # an everyday abbreviation, not a name (instruments21: "passports and state-issued IDs")
                  "Does a fraudulent identity document only mean passports and state-issued IDs?"):
        assert unknown_terms(known, r) == [], known
    # an everyday abbreviation the texts never write out is a subject they do not cover (practitioners74)
    assert unknown_terms("is there anything about safeguards when authorities collect DNA from migrants?", r) == [
        "DNA"]


def test_examples_the_user_lists_are_context_not_names(assistant: Assistant) -> None:
    """"…what other kinds of evidence can investigators use? list - we have gate logs, CCTV, payroll
    etc" (practitioners41): the user's own open list of what they have is no name to look up, and no
    name the answer must mention; the same word asked about is."""
    r = assistant.retriever
    listed = "What other kinds of evidence can investigators use? list - we have gate logs, CCTV, payroll etc"
    assert unknown_terms(listed, r) == [] and "CCTV" not in question_names(listed)
    asked = "Can investigators use ZORBCAM footage as evidence?"
    assert unknown_terms(asked, r) == ["ZORBCAM"] and "ZORBCAM" in question_names(asked)
    # a case told as a condition before "does that change things?" (practitioners60): context; a name
    # the question itself asks about is not
    told = ("What if one of them got nicked for shoplifting food from the ZORBMART in their neighbourhood - "
            "does that change things?")
    assert unknown_terms(told, r) == [] and "ZORBMART" not in question_names(told)
    assert unknown_terms("What if he was sent to ZORBMART, does UNODC have figures on it?", r) == ["ZORBMART"]
    # the asker's own course or boss (instruments15: "for my MSc essay on interdiction"), not a subject
    for own in ("For my MSc essay on interdiction: does the flag State keep its authority over the ship?",
                "Is that right? Our ZORBCAM keeps saying so about the Protocol."):
        assert unknown_terms(own, r) == [], own


def test_context_numbers_and_contractions_are_not_unknown_names(assistant: Assistant) -> None:
    r = assistant.retriever
    assert unknown_terms("I'm asking: he still owed 5000 for the trip over, is he a victim?", r) == []
    assert unknown_terms("They were locked in. Isn't there a rule? Second, (2) Should we act?", r) == []
    assert unknown_terms("What does Ley 26364 say about Patagonia?", r) == ["Ley", "26364", "Patagonia"]
    assert unknown_terms("Three Zorblanian teenagers were found locked in a factory. Are they victims?", r) == []
    assert unknown_terms("Does Zorblanian law protect them?", r) == ["Zorblanian"]
    # the asking sentence is what must be answerable; the case's story around it is context
    assert unknown_terms("He's from Zorblania. Do we just process him for the fake passport?", r) == []
    # a sentence typed in lower case is one of its own: the acronym is in the story, not the question
    assert unknown_terms("The CPS want to charge him. what should i be arguing?", r) == []
    assert unknown_terms("Who decides within an NRM?", r) == []  # "National Referral Mechanisms"
    assert unknown_terms("Is the CoE rule mandatory?", r) == []  # "Council of Europe", its "of" kept
    assert unknown_terms("Is the CoX rule mandatory?", r) == ["CoX"]
    assert unknown_terms("What did the WG adopt at the Sept 2020 meeting?", r) == []
    # a law the texts never name is unknown even when each of its words is common in them
    assert unknown_terms("What is the penalty under the US Trafficking Victims Protection Act?", r) == \
        ["US Trafficking Victims Protection Act"]
    assert unknown_terms("What does the Palermo Protocol say about consent?", r) == []
    assert unknown_terms("is it written into the Palermo trafficking protocol itself?", r) == []
    assert unknown_terms("Is it binding under the Palermo Trafficking Protocol?", r) == []
    assert unknown_terms("What does the Palermo smuggling protocol say about boats?", r) == []
    # someone picked out by what they are in (practitioners71): a person of the story, not a subject;
    # "the DA" is a prosecutor, spelled out
    used = "If the guy in the BMW was using him, whose job is it to figure that out? The cops, the DA, or the kid?"
    assert unknown_terms(used, r) == []
    assert question_names(used) == []
    assert unknown_terms("Does the BMW foundation fund shelters?", r) == ["BMW"]


def test_a_provision_or_a_contrasted_notion_the_texts_never_cite_is_unknown(assistant: Assistant) -> None:
    r = assistant.retriever
    # provisions the texts never cite, whatever instrument they belong to
    assert unknown_terms("Explain the Article 1F exclusion clauses of the Refugee Convention", r) == ["Article 1F"]
    assert unknown_terms("what is the test for the s.45 defence?", r) == ["s.45"]
    assert unknown_terms("What does Article 33(1) of the Refugee Convention prohibit?", r) == []
    assert unknown_terms("what does art. 6 of the Smuggling Protocol say?", r) == []
    # both sides of a contrast must be something the texts speak of
    assert unknown_terms("What's the legal difference between tax evasion and tax avoidance?", r) == ["evasion"]
    assert unknown_terms("the causation approach vs the duress approach?", r) == ["causation", "duress"]
    assert unknown_terms("What is the difference between non-punishment and non-prosecution?", r) == []
    assert unknown_terms("trafficking vs smuggling - what is the difference?", r) == []
    assert unknown_terms("How do I distinguish a smuggled migrant from a trafficking victim?", r) == []
    # in brackets, or one side said before "differ from"
    assert unknown_terms("Do they describe the link (causation vs compulsion) the same way?", r) == \
        ["causation", "compulsion"]
    assert unknown_terms("How does that differ from the compulsion-based approach?", r) == ["compulsion"]
    assert unknown_terms("How does non-punishment differ from non-prosecution?", r) == []
    # everyday words on a side of the contrast are not notions the texts must use ("gets")
    assert unknown_terms("How do stereotypes shape who gets identified as a victim vs who gets treated as "
                         "an offender?", r) == []
    # a term of art quoted and asked about must be one the texts use
    assert unknown_terms("Do they prefer a 'causation' approach or a 'compulsion' approach?", r) == \
        ["causation", "compulsion"]
    assert unknown_terms("what is the difference between the 'duress' type and the 'causation' type of "
                         "provision, as UNODC describes them?", r) == ["duress", "causation"]
    assert unknown_terms("What's the test for 'particular social group' under the Refugee Convention?", r) == \
        ["particular social group"]
    assert unknown_terms("What does the 'do no harm' principle require?", r) == []
    # a word capitalised because it opens the sentence is no part of an instrument's name (instruments6)
    assert unknown_terms("According to the Protocol itself, when does it enter into force?", r) == []
    assert unknown_terms("According to the Palermo Protocol itself, when does it enter into force?", r) == []
    # the asker's own hedged label for what they describe is no term of art (practitioners35)
    assert unknown_terms("Do they say anything about keeping labour complaints separate from immigration "
                         "enforcement - some kind of 'firewall', so a worker can bring a wage claim?", r) == []
    assert unknown_terms("Do they recommend a 'firewall' approach for labour complaints and immigration enforcement?",
                         r) == ["firewall"]
    # "what are 'X'": a quoted term asked about as such
    assert unknown_terms("what are 'status offences' in the non-punishment context?", r) == ["status offences"]
    assert unknown_terms("what is the 'non-punishment principle'?", r) == []
    # an element of a definition quoted: the texts must use it ("deception" they never do)
    assert unknown_terms("Does lying about the pay count as 'deception' in the trafficking definition?", r) == \
        ["deception"]
    assert unknown_terms("Does being a mule count as 'exploitation' under the trafficking definition?", r) == []
    # quotes around the people and money of a case are not terms asked about
    assert unknown_terms("Her 'boyfriend' took her wages 'for safekeeping', is she a victim?", r) == []
    # a contrast in the story around the question is context
    assert unknown_terms("The difference between duress and consent came up in court. Is she a victim?", r) == []


def test_sentences_carry_relevance_and_layout_flags(assistant: Assistant) -> None:
    a = assistant.ask("What did the Working Group recommend on joint investigation teams?")
    assert not a.refused
    assert all(s.relevance_level in ("direct", "related", "background") for s in a.sentences)
    assert "new_paragraph" in a.sentences[0].flags
    by_pid: dict[str, list[int]] = {}
    for i, s in enumerate(a.sentences):
        by_pid.setdefault(s.citations[0], []).append(i)
    for rows in by_pid.values():  # sentences of one paragraph stay together
        assert rows == list(range(rows[0], rows[0] + len(rows)))
    assert relevance_level(0.5, 0.45, 0.33) == "direct" and relevance_level(0.1, 0.45, 0.33) == "background"
    assert is_list_item("(b) Ensure that provisions are clearly stated;") and is_list_item("- Protection")
    assert not is_list_item("States parties should consider it.")


def test_followup_with_a_new_condition_does_not_repeat_the_last_answer(assistant: Assistant) -> None:
    first = assistant.ask("Does the non-punishment principle apply to immigration offences?")
    history = [Turn(role="user", content=first.question), Turn(role="assistant", content=first.answer)]
    second = assistant.ask("And does it also cover administrative fines and civil penalties?", history)
    assert not second.refused
    assert [s.text for s in second.sentences] != [s.text for s in first.sentences]
    assert any("administrative" in s.text for s in second.sentences)


def test_a_followup_naming_no_document_stays_on_the_documents_it_follows(assistant: Assistant) -> None:
    first = "What did the Working Group recommend in 2020 about identifying victims?"
    history = [Turn(role="user", content=first)]
    follow = "did they say anything specific about children?"
    standalone = rewrite_followup(follow, history)
    assert assistant._still_about(follow, standalone, None) == Filters(documents=["wg4-2020-recs"])
    # words pointing back at what was just read make a follow-up too
    for back in ("Was there anything in there about training for frontline officers?",
                 "what else did the document say about data collection?", "you mentioned shelters, which ones?"):
        assert assistant._still_about(back, rewrite_followup(back, history), None) == \
            Filters(documents=["wg4-2020-recs"]), back
    for alone in ("Is there a national referral mechanism in the toolkit?",
                  "What do the texts say about shelters for men?"):
        assert rewrite_followup(alone, history) == alone
    # a follow-up naming its own document, or a user's document filter, is left as it is
    own = "and does the toolkit say anything about children?"
    assert assistant._still_about(own, rewrite_followup(own, history), None) is None
    mine = Filters(documents=["unodc-toolkit-1"])
    assert assistant._still_about(follow, standalone, mine) == mine
    # a follow-up turning to the other documents is not kept on the first one
    for other in ("and what do the other documents say about children?", "what about the rest of the texts?",
                  "anything on children elsewhere?"):
        assert assistant._still_about(other, rewrite_followup(other, history), None) is None


def test_shorter_please_answers_the_last_question_again_in_fewer_sentences(assistant: Assistant) -> None:
    question = "Does the non-punishment principle apply to immigration offences?"
    first = assistant.ask(question)
    assert not first.refused and len(first.sentences) > 3
    history = [Turn(role="user", content=question), Turn(role="assistant", content=first.answer)]
    short = assistant.ask("can you give me that in 3 bullet points pls?", history)
    assert short.question == "can you give me that in 3 bullet points pls?"
    assert "At most 3 sentences, as asked." in short.notice
    # the same answer, cut short — not a follow-up that must say something new
    assert [s.text for s in short.sentences] == [s.text for s in first.sentences][:3]
    # asked twice: back to the question, not to the first request
    history += [Turn(role="user", content=short.question), Turn(role="assistant", content=short.answer)]
    shorter = assistant.ask("even shorter, one sentence", history)
    assert [s.text for s in shorter.sentences] == [s.text for s in first.sentences][:1]
    one = assistant.ask("in one sentence: what is non-punishment?")
    assert len(one.sentences) <= 1


def test_fuse_hits_keeps_each_passage_once(assistant: Assistant) -> None:
    r = assistant.retriever
    a, b = r.search("joint investigation teams", k=5), r.search("expungement of criminal records", k=5)
    fused = fuse_hits([a, b], k=8)
    ids = [h.passage.id for h in fused]
    assert len(ids) == len(set(ids)) == 8 and a[0].passage.id in ids and b[0].passage.id in ids


def test_cli_marks_quotes_by_relevance_with_a_legend(capsys: pytest.CaptureFixture[str]) -> None:
    from assistant.cli.answer_cmds import RELEVANCE_LEGEND, print_answer
    from assistant.models import Answer

    sentences = [AnswerSentence(text="Victims should not be detained in shelters.", citations=["p"],
                                support="supported", relevance_level="direct"),
                 AnswerSentence(text="Shelters exist.", citations=["p"], support="supported",
                                relevance_level="background")]
    print_answer(Answer(question="q", answer="", sentences=sentences))
    out = capsys.readouterr().out
    assert "● Victims" in out and "○ Shelters" in out and "✓" not in out and RELEVANCE_LEGEND in out


def test_a_cover_line_is_quoted_only_for_the_detail_it_gives(assistant: Assistant) -> None:
    """Title-page lines ("Working Group on Trafficking in Persons") are not quoted as answers to
    questions about the subject; a line giving the asked-for date or name may be, even when the
    name opens the line."""
    from assistant.answer.extractive import _candidates, rare_in

    r = assistant.retriever
    cover = next(p for p in r.passages.values() if p.label_kind == "front" and p.document_id == "unodc-np-2023")
    hit = [Hit(passage=cover, citation=r.citation(cover), score=1.0)]
    topic = _candidates(hit, 1, "What does the presentation say about the non-punishment principle?", rare_in(r))
    assert topic == []
    who = _candidates(hit, 1, "Who prepared the 2023 presentation?", rare_in(r))
    assert [c.text for c in who] == [line for line in cover.text.splitlines() if "Crittin" in line]
    when = _candidates(hit, 1, "On what date was the presentation given?", rare_in(r))
    assert [c.text for c in when] == ["25 April 2023"]


def test_the_resolution_a_document_answers_is_read_on_its_cover(assistant: Assistant) -> None:
    """"Which GA resolution was the contribution submitted under?": the cover's qualifier
    "(pursuant to … Resolution A/RES/72/179 …)" is the answer, and comes first."""
    ans = assistant.ask("UNODC input to the SG report on human rights of migrants - which GA resolution "
                        "was it submitted under?")
    assert not ans.refused
    first = ans.sentences[0]
    assert "A/RES/72/179" in first.text and first.text.startswith("(pursuant to")
    assert first.citations == ["unodc-ares-72-179:title-page"]


def test_a_question_naming_an_indexed_source_is_in_scope(assistant: Assistant) -> None:
    """The sources users name: body, its short form, acronym and symbol; a bare word that only
    appears inside another word or a path does not count."""
    from assistant.answer.extractive import names_an_indexed_source, source_names

    r = assistant.retriever
    names = source_names(r)
    assert {"working group", "unodc", "ctoc/cop/wg.4/2022/2"} <= names
    assert names_an_indexed_source("Where did the Working Group meet in June 2022?", r)
    assert names_an_indexed_source("what does ctoc/cop/wg.4/2022/2 say?", r)
    assert not names_an_indexed_source("What is the capital of Australia?", r)
    assert not names_an_indexed_source("Is the unodcx/library online?", r)
    assert names_an_indexed_source("what did the WG on TIP recommend at its 2020 meeting?", r)
    assert not names_an_indexed_source("we want to know what a wg is", r)  # initials count in capitals only
    # a document by its kind and year (practitioners62), not by its kind alone
    assert names_an_indexed_source("The September 2020 recommendations addendum - which body adopted them?", r)
    assert not names_an_indexed_source("What should be in a basic plumber's toolkit?", r)
    assert not names_an_indexed_source("what slides should I use for a talk on photosynthesis?", r)


def test_off_topic_reason_is_in_words(assistant: Assistant) -> None:
    from assistant.answer.extractive import assess_evidence

    r = assistant.retriever
    hits = r.search("What is the capital of Australia?", k=10)
    ev = assess_evidence("What is the capital of Australia?", hits, r, 0.3, domain_threshold=99.0)
    assert ev.refuse and ev.kind == "off_topic" and ev.closeness < 99.0
    assert not any(ch.isdigit() for ch in ev.reason)
    on = assess_evidence("Where did the Working Group meet?", r.search("Where did the Working Group meet?", k=10),
                         r, 0.0, domain_threshold=99.0)
    assert on.kind != "off_topic"


def test_an_acronym_counts_as_named_when_the_cited_text_spells_it_out(assistant: Assistant) -> None:
    r = assistant.retriever
    pid = next(p.id for p in r.passages.values() if "national referral mechanisms" in p.text)
    quoted = [AnswerSentence(text=r.passages[pid].text.split(". ")[0], citations=[pid])]
    assert missing_detail("Who decides within an NRM? Can an inspector do it?", quoted, r) == ""
    assert "FATF" in missing_detail("Does the FATF say so? Can an inspector do it?", quoted, r)


def test_a_question_naming_two_documents_quotes_both(assistant: Assistant) -> None:
    a = assistant.ask("What do the 2020 recommendations and the toolkit say about joint investigation teams?")
    assert not a.refused
    cited = {assistant.retriever.passages[s.citations[0]].document_id for s in a.sentences}
    assert {"wg4-2020-recs", "unodc-toolkit-1"} <= cited



def test_a_named_documents_cover_answers_its_date_or_author_first(assistant: Assistant) -> None:
    a = assistant.ask("On what date were the 2023 UNODC slides on non-punishment presented?")
    assert not a.refused and a.sentences[0].text == "25 April 2023"
    assert a.sentences[0].citations == ["unodc-np-2023:title-page"] and a.sentences[0].relevance_level == "direct"
    who = assistant.ask("Which UNODC section gave the 2023 slides?")
    assert who.sentences[0].text.startswith("Tiphanie Crittin, Human Trafficking and Migrant Smuggling Section")


def test_a_documents_items_asked_as_a_list_are_quoted_in_its_order(assistant: Assistant) -> None:
    """"List the recommendations adopted at the Sept 2020 meeting" is answered with the
    recommendations themselves, first sentence of each, in order, and a note of how many there are
    (it used to quote only the line that says they were adopted)."""
    corpus = assistant.retriever.corpus
    q = "List the recommendations adopted by the Working Group on Trafficking in Persons at its Sept 2020 meeting."
    items = corpus.items_listed(q)
    assert [p.label for p in items] == [f"Recommendation {n}" for n in range(1, 27)]
    assert [p.id for p in corpus.items_listed("can you enumerate the recommendations adopted by the WG on TIP in "
                                              "2020?")] == [p.id for p in items]
    a = assistant.ask(q)
    cited = [s.citations[0] for s in a.sentences]
    assert cited == [p.id for p in items[:len(cited)]] and len(cited) >= 5
    assert all(s.relevance_level == "direct" for s in a.sentences)
    assert f"26 recommendations in all, {len(cited)} quoted here" in a.notice
    # a subject narrows the list to a search; the slides' recommendations are not the 2020 ones
    for other in ("list the 2020 recommendations on non-punishment", "What recommendations do the 2023 slides give?",
                  "What year did the Working Group adopt its recommendations?"):
        assert corpus.items_listed(other) == [], other


def _with_the_protocol(tmp_path: Path) -> Settings:
    """Settings for the seed corpus plus the Smuggling of Migrants Protocol (the official PDF in
    tests/fixtures/realdocs) added as a user adds it, hash embedder."""
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", corpus)
    pdf = REPO_ROOT / "tests" / "fixtures" / "realdocs" / "files" / \
        "A_RES_55_25_Annex_III_Smuggling_of_Migrants_Protocol.pdf"
    add_document(corpus, pdf, {"title": "Protocol against the Smuggling of Migrants by Land, Sea and Air",
                               "symbol": "A/RES/55/25", "type": "treaty"})
    return Settings(corpus_dir=corpus, data_dir=tmp_path / "data", embedder="hash")


def test_what_a_story_asks_is_searched_alone_too(tmp_path: Path) -> None:
    """A story told before its question (instruments21: backpackers offered money to walk a man over a
    footbridge, a clearance agent filing a haulier's papers) is searched by what it asks alone too:
    "would they have been smugglers too?" finds the Protocol's article 6(2), which the story's
    own words (a bar, a lake, guards) ranked past 10; the gate still reads the whole message."""
    s = _with_the_protocol(tmp_path)
    story = ("At the bar a man offered two of our guests 300 euros each to stroll over the footbridge at the end "
             "of the lake with his cousin between them, chatting like old friends, because the guards never stop "
             "groups of tourists. The cousin has no papers for the other side. They said no and checked out. "
             "Had they gone through with it, would they have been smugglers too, or only the man at the bar?")
    found = [h.passage.id for h in Assistant.from_settings(s, build_if_missing=True).retriever.search(story, 5)]
    assert "a-res-55-25:art-6-2" in found
    off = Assistant.from_settings(s.model_copy(update={"asked_search_at": 0})).retriever.search(story, 5)
    assert "a-res-55-25:art-6-2" not in [h.passage.id for h in off]


def test_where_a_text_mentions_something_its_paragraphs_holding_it_come_first(tmp_path: Path) -> None:
    """"List every place in the Smuggling Protocol that mentions children…" (instruments19: its
    article 16(4) ranked past 10): the named text's paragraphs holding the words come first; a thing
    it never mentions changes nothing."""
    s = _with_the_protocol(tmp_path)
    r = Assistant.from_settings(s, build_if_missing=True).retriever
    asked = "For a staff briefing, list every place in the Smuggling Protocol that mentions children, and what it asks."
    assert r.search(asked, 5)[0].passage.id == "a-res-55-25:art-16-4"
    off = Assistant.from_settings(s.model_copy(update={"mentions_first": False})).retriever
    assert off.search(asked, 5)[0].passage.id != "a-res-55-25:art-16-4"
    never = "Does the Smuggling Protocol mention zorblan inspectors anywhere?"
    assert [h.passage.id for h in r.search(never, 5)] == [h.passage.id for h in off.search(never, 5)]


def test_an_added_instrument_that_defines_the_term_answers(tmp_path: Path) -> None:
    """The Smuggling of Migrants Protocol (official text, tests/fixtures/realdocs) defines its terms
    in art. 3: once added, the definition question is answered from that article."""
    s = _with_the_protocol(tmp_path)
    turn = Assistant.from_settings(s, build_if_missing=True).ask(
        "What is the definition of smuggling of migrants in the Protocol?")
    assert not turn.refused
    assert any("shall mean" in x.text and "art. 3" in " ".join(c.citation for c in turn.citations)
               for x in turn.sentences)
    # whether what someone did is smuggling is decided by the same definition (instruments11: the
    # stories of a baggage handler, a satellite-phone seller, a lighthouse keeper ranked it past 10)
    r = Assistant.from_settings(s).retriever
    story = ("A man offered me money to leave a side door in the baggage hall unlocked so people could get out "
             "without passport control. If I'd done it, would the treaty count me as a smuggler?")
    assert r.search(story, 5)[0].passage.id.endswith(":art-3")
    # whether what is told must be made an offence: the treaty's criminalization article, after the
    # story's own first two paragraphs (instruments11, 12, 14, 15: a bus driver, a houseboat owner, a
    # registrar, a translator — art. 6 ranked past 10)
    assert r.titled(RE_CRIMINALIZING_TITLE) == ["a-res-55-25:art-6-1"]
    story = ("A man asked me to 'translate' his nephew's birth certificate but really wanted me to change the names "
             "so a stranger could travel on it. I said no. If I had done it, is that something the UN treaty wants "
             "treated as a crime?")
    assert "a-res-55-25:art-6-1" in [h.passage.id for h in r.search(story, 5)[:3]]
    # what rights or protection it gives people: its protection and assistance article (instruments9,
    # 14, 15: a cleaner afraid of arrest, a stowaway form's box of rights, a Member's list of rights)
    assert r.titled(RE_PROTECTING_TITLE) == ["a-res-55-25:art-16-1"]
    rights = ("A Member read out what she called 'the rights the Smuggling Protocol guarantees to migrants'. "
              "Which rights does the text actually give them?")
    assert "a-res-55-25:art-16-1" in [h.passage.id for h in r.search(rights, 5)[:3]]


def test_a_provision_named_by_its_title_is_searched_first(tmp_path: Path) -> None:
    """"Does the Smuggling Protocol's protection article cover them?" (instruments18, 19: a
    commission's question on legislation, a tour operator's guest kept working) names Article 16 –
    Protection and assistance measures by its title's words: its paragraphs come first, though the
    story shares few of their words. A name matching no title, or too many, names none."""
    s = _with_the_protocol(tmp_path)
    r = Assistant.from_settings(s, build_if_missing=True).retriever

    def named(q: str) -> set[str]:
        return {m.group(0) for pid in r.named_provisions(q) if (m := re.search(r"art-\d+", pid))}

    assert named("What does the Smuggling Protocol's return article say about costs?") == {"art-18"}
    assert named("Does the saving clause keep refugee law intact?") == {"art-19"}
    assert named("Is there an article on border measures?") == {"art-11"}
    assert named("its scope article") == {"art-4"}
    assert named("the information-sharing article") == {"art-10"}
    for none in ("the non-punishment clause", "the Protocol's article on it", "the protection that article gives",
                 "the smuggling provisions", "What does the Protocol say?"):
        assert named(none) == set(), none
    guest = ("Most of our guests arrive legally on tourist visas. If one of them is later kept working illegally by "
             "the people who organized their trip, does the Smuggling Protocol's protection article cover them?")
    assert r.search(guest, 5)[0].passage.id.startswith("a-res-55-25:art-16-")


def test_what_rights_a_text_gives_someone_is_asked() -> None:
    """"List every right of smuggled migrants the Protocol gives", "what does the UN smuggling treaty say
    about someone in her position?" ask what protection a text gives people; what a text is about does
    not."""
    from assistant.text import asks_protection

    for asked in ("List every right of smuggled migrants under the Protocol for our stowaway form.",
                  "I want to check the rights the Smuggling Protocol guarantees to migrants.",
                  "She's afraid she'll be arrested. What does the UN smuggling treaty say about someone in her position?",
                  "What does the treaty say about him, and about the agent?"):
        assert asks_protection(asked), asked
    for other in ("What does the Protocol say about fraudulent documents?", "Summarise the toolkit.",
                  "Is that something the treaty expects to be punished?",
                  "Is it all right if I ask what the Protocol says right now?"):
        assert not asks_protection(other), other
    # a title of protecting people, not of technical assistance
    assert RE_PROTECTING_TITLE.search("Article 16 – Protection and assistance measures")
    assert RE_PROTECTING_TITLE.search("Article 6 – Assistance to and protection of victims of trafficking in persons")
    assert not RE_PROTECTING_TITLE.search("Article 29 – Training and technical assistance")


def test_whether_what_is_told_must_be_made_an_offence() -> None:
    """"Is that something the treaty expects to be punished?", "does the treaty expect countries to punish
    an owner like him?" ask whether conduct is one a text requires States to make an offence; whether
    someone may be prosecuted, or what a text says of punishing victims, does not."""
    from assistant.text import asks_punishable

    for asked in ("If I tell them, is that something the treaty expects to be punished?",
                  "Is this something the UN smuggling treaty expects countries to punish?",
                  "If I had done it, is that something the UN treaty wants treated as a crime?",
                  "Does the UN smuggling treaty expect countries to punish an owner like him?",
                  "Does the Protocol require States to criminalise the smuggling of migrants?"):
        assert asks_punishable(asked), asked
    for other in ("Can she be prosecuted for the fake passport?", "Does the 2022 paper say victims should not be "
                  "punished?", "What penalties does the toolkit mention?"):
        assert not asks_punishable(other), other


def test_whether_something_falls_under_the_fields_terms() -> None:
    """"Is what he's doing smuggling?", "would the treaty count me as a smuggler?", "does smuggling only
    count when a criminal group is involved?" ask whether something falls under a term."""
    from assistant.text import asked_classification

    for asked in ("Under the Smuggling Protocol, is what he's doing smuggling, or trafficking?",
                  "Would that make me a smuggler?", "is my driver a smuggler even if he was threatened into it?",
                  "Does helping them count as smuggling?", "would the UN treaty treat me as part of the smuggling?",
                  "Does smuggling only count under the Protocol when an organised criminal group is involved?",
                  # instruments10: "…before we could count as smugglers?"
                  "Under the treaty, what would have to be shown about us before we could count as smugglers?"):
        assert asked_classification(asked) == "smuggling", asked
    assert asked_classification("would the treaty see him as a trafficker?") == "trafficking"
    for other in ("What does the toolkit say about smuggling?", "Is trafficking increasing?",
                  "Do you see this as a priority?", "Does the Protocol apply when migrants are rescued?"):
        assert asked_classification(other) is None, other


def test_a_masthead_run_into_a_paragraph_is_never_quoted(assistant: Assistant) -> None:
    """The slides' text runs "…civil society... UNITED NATIONS Office on Drugs and Crime" together:
    the masthead is not a sentence to quote; a title-case list item still is an item."""
    from assistant.answer.extractive import _candidates, rare_in

    r = assistant.retriever
    slide = next(p for p in r.passages.values() if p.text.endswith("UNITED NATIONS Office on Drugs and Crime"))
    hit = [Hit(passage=slide, citation=r.citation(slide), score=1.0)]
    texts = [c.text for c in _candidates(hit, 1, "How are drug couriers sentenced?", rare_in(r))]
    assert texts and "UNITED NATIONS Office on Drugs and Crime" not in texts
    item = slide.model_copy(update={"text": "Principles:\n- Non-Discrimination\n- Best Interests of the Child"})
    items = _candidates([Hit(passage=item, citation="x", score=1.0)], 1, "Which principles?", rare_in(r))
    assert [c.text for c in items][-2:] == ["- Non-Discrimination", "- Best Interests of the Child"]


def test_a_name_answers_who_held_a_role_only_when_bound_to_it() -> None:
    panel = ("With the Chair presiding, the discussion under item 3 was led by the following panellists: "
             "Ms. Bowen (United Kingdom), Mr. Nolan (United States).")
    assert not has_figure("person", panel, "Who chaired the 2020 meeting?")  # the panellists are not the chair
    assert has_figure("person", panel, "Who led the discussion under item 3?")
    assert has_figure("person", "The meeting was chaired by Ms. Alvarez (Chile).", "Who chaired the meeting?")
    assert has_figure("person", "The opening remarks were made by Ms. Alvarez, Chair of the Group.",
                      "Who chaired the meeting?")
    assert has_figure("person", panel, "Which person spoke?")  # no role asked: any name is an answer
    # "a named survivor": a name given as a survivor's, not a former rapporteur's
    survivor = "a direct quote from a named survivor, with her first name and age"
    assert not has_figure("person", "The former Special Rapporteur, Maria Grazia Giammarinaro, dedicated her final "
                          "report to it.", survivor)
    assert has_figure("person", "One survivor, Maria Lopez, told the panel what had happened to her.", survivor)
    assert not has_figure("person", "UNODC manages the United Nations Voluntary Trust Fund for Victims of Trafficking "
                          "in Persons.", survivor)
    assert not has_figure("person", "Tiphanie Crittin, Human Trafficking Section, UNODC", survivor, line=True)
    names = "Can you give me the names of survivors quoted in the materials?"  # the same role, asked so
    assert not has_figure("person", "The former Special Rapporteur, Maria Grazia Giammarinaro, dedicated her final "
                          "report to it.", names)
    assert has_figure("person", "One survivor, Maria Lopez, told the panel what had happened to her.", names)
    # a title page's name line is its author or presenter, with no role word
    assert has_figure("person", "Tiphanie Crittin, Human Trafficking Section, UNODC", "Who presented the slides?",
                      line=True)


def test_an_author_may_be_a_body() -> None:
    """"Background paper prepared by the Secretariat" answers who authored it; it names no one who
    chaired or presented anything."""
    cover = "Working Group on Trafficking in Persons\nBackground paper prepared by the Secretariat"
    for question in ("who authored the background paper?", "Who wrote the 2022 paper?", "who drafted it?"):
        assert has_figure("person", cover, question), question
    assert not has_figure("person", cover, "Who presented the paper at the meeting?")
    assert not has_figure("person", "The paper was prepared to facilitate discussions.", "Who wrote the paper?")


def test_the_start_of_a_longer_capitalised_name_is_no_persons_name() -> None:
    q = "Who is the UNODC officer heading the Section and what is their direct email?"
    body = ("UNODC supported a training course organized by the Office of the Greek National Rapporteur "
            "and the Greek Central Labour Inspection Agency.")
    assert not has_figure("person", body, q)
    assert has_figure("person", "UNODC supported a training course led by Anna Papadopoulou.", q)
    # an honorific vouches for a name however long it runs
    assert has_figure("person", "The session was chaired by Ms. Maria Grazia Giammarinaro.", "Who chaired it?")


def test_a_persons_name_is_made_of_words_rare_in_the_texts() -> None:
    """"Southern African Development" is capitalised like a name, but "development" is an everyday
    word of the texts; a person's name is rare in them, word by word (an honorific vouches for it)."""
    everyday = {"southern", "african", "development", "community", "secretariat"}

    def rare(name: str) -> bool:
        return all(w.lower() not in everyday for w in name.split())

    sentence = "An example is UNODC's cooperation with the Secretariat of the Southern African Development Community."
    assert not has_figure("person", sentence, "Who is the contact person at the secretariat?", rare)
    # with no corpus to ask, three capitalised words would pass for a name — but the run goes on
    # ("… Development Community"): the start of a body's name
    assert not has_figure("person", sentence, "Who is at the secretariat?")
    assert has_figure("person", "She met Maria Grazia at the secretariat.", "Who is at the secretariat?")
    # (a post asked about, "the contact person", is held by a name beside one of its words)
    assert not has_figure("person", sentence, "Who is the contact person at the secretariat?")
    assert has_figure("person", "Her final report was by Maria Grazia Giammarinaro.", "Who wrote it?", rare)
    assert has_figure("person", "The paper was presented by Ms. Southern.", "Who presented it?", rare)


def test_a_message_of_several_questions_is_answered_in_part_when_only_names_are_missing(assistant: Assistant) -> None:
    r = assistant.retriever
    assert 1 <= r.passage_frequency(["greec"]) <= 3  # a country the texts mention in passing
    pid = next(p.id for p in r.passages.values() if "non-punishment" in p.text and "Greece" not in p.text
               and p.label_kind != "front")
    quoted = [AnswerSentence(text=r.corpus.passages[pid].text, citations=[pid])]
    several = "What is non-punishment? And how does Greece apply it?"
    assert "“Greece”" in missing_detail(several, quoted, r)
    assert unanswered_part(several, quoted, r) == "the passages found do not mention “Greece”"
    # one question, or every question about the missing name: refused as usual
    assert unanswered_part("How does Greece apply non-punishment?", quoted, r) == ""
    assert unanswered_part("Does Greece apply it? Since when does Greece apply it?", quoted, r) == ""
    # every part unanswered (who chaired; Greece): refused
    assert unanswered_part("Who chaired the 2020 meeting? And how does Greece apply it?", quoted, r) == ""
    # a detail only one of the questions asks for, in one sentence of several questions
    several = "how is forced criminality defined in the toolkit, and what is non-punishment?"
    assert "definition of “forced criminality”" in unanswered_part(several, quoted, r)
    assert unanswered_part("How is forced criminality defined in the toolkit?", quoted, r) == ""
    # a story before the question is not a question of its own
    assert unanswered_part("He was arrested in 2017, who chaired the meeting?", quoted, r) == ""
    # the name asked for is quoted (a title page's presenter), the e-mail asked beside it is not: said
    cover = r.corpus.passages["unodc-np-2023:title-page"]
    presenter = [AnswerSentence(text=cover.text.splitlines()[1], citations=[cover.id])]
    gave = "who gave the UNODC slides in April 2023 and what's their email?"
    assert missing_figure(gave, presenter, r).startswith("the question asks for a telephone number")
    assert unanswered_part(gave, presenter, r).startswith("the question also asks for a telephone number")
    assert unanswered_part(gave, quoted, r) == ""  # no name either: refused
    # an amount, and the donors' names, both missing: every part unanswered, refused
    assert unanswered_part("How much funding went into it, and which donors paid for it?", quoted, r) == ""
    assert unanswered_part("How much funding went into it, and what is non-punishment?", quoted, r) != ""
    # the other horn of one yes-or-no question is no question of its own: refused with the first
    horns = "for a child, how much funding is there, or is there a fund for all victims?"
    assert missing_detail(horns, quoted, r) and unanswered_part(horns, quoted, r) == ""
    assert unanswered_part("How much funding went into it, or what is non-punishment?", quoted, r) != ""


def test_what_follows_a_question_about_an_event_still_to_come_is_about_that_event(assistant: Assistant) -> None:
    """"When is the next session, and what's on the agenda?": the agenda is the next session's, and a
    past meeting's account answers neither; a part with a subject of its own is still answered."""
    r = assistant.retriever
    pid = next(p.id for p in r.passages.values() if "10 to 11 September 2020" in p.text)
    past = [AnswerSentence(text=r.corpus.passages[pid].text, citations=[pid])]
    assert unanswered_part("When is the next session of the Working Group, and what's on the agenda?", past, r) == ""
    assert unanswered_part("when's the next WG meeting and where will it be held?", past, r) == ""
    # what a publication still to come will hold is as unwritten as its date
    assert unanswered_part("When is UNODC publishing Part 2 of the toolkit, and will it include a module "
                           "for cabin crew?", past, r) == ""
    # taking part in it is asked of that event too, whoever asks to take part (practitioners43, 44)
    assert unanswered_part("When is the next meeting of the Working Group, and can council officers sign up "
                           "to attend?", past, r) == ""
    assert unanswered_part("when's the next WG meeting, and can a private wine estate register as an "
                           "observer?", past, r) == ""
    other = unanswered_part("When is the next session of the Working Group, and what did the 2020 recommendations "
                            "say about children?", past, r)
    assert other.startswith("the question asks for a date still to come")


def test_asking_whether_a_figure_exists_after_asking_for_it_asks_for_the_same_figure(assistant: Assistant) -> None:
    """"Roughly how many victims are in prison worldwide? Does UNODC have an estimate?": the second
    question asks for the number the first does, and quoting UNODC on anything answers neither."""
    r = assistant.retriever
    pid = next(p.id for p in r.passages.values() if "UNODC" in p.text and "non-punishment" in p.text
               and not re.search(r"\d", p.text) and p.label_kind != "front")
    quoted = [AnswerSentence(text=r.corpus.passages[pid].text, citations=[pid])]
    for asked, kind in (("roughly how many trafficking victims are in prison worldwide? does UNODC have an estimate?",
                         "a number"),
                        ("How many victims were prosecuted last year, and is there any data on that?", "a number"),
                        ("How much can an owner be fined, in pounds, for it? Is there a UNODC tariff for that?",
                         "an amount"),
                        ("What's the average award in pounds tribunals have made to victims? Does UNODC publish that?",
                         "an amount")):
        assert missing_figure(asked, quoted, r).startswith(f"the question asks for {kind}"), asked
        assert unanswered_part(asked, quoted, r) == "", asked
    # a part with a question of its own is still answered beside the missing number
    assert unanswered_part("How many victims were prosecuted last year, and what is non-punishment?", quoted, r) != ""


def test_asking_whether_something_exists_for_a_detail_of_it_is_unanswered_with_the_detail(
        assistant: Assistant) -> None:
    """"Does UNODC publish a ranking of airports? Which airport is at the top of it?": whether the
    ranking exists is asked for the airport's sake; quoting what UNODC publishes answers neither. An
    existence question whose detail is not asked about "it" is still a question of its own."""
    r = assistant.retriever
    pid = next(p.id for p in r.passages.values() if p.label_kind != "front")
    quoted = [AnswerSentence(text="UNODC publishes a global report on trafficking in persons every two years.",
                             citations=[pid])]
    for asked in ("Does UNODC publish a ranking of airports where victims are detected? Which airport is at the top of it?",
                  "Is there a UNODC list of shelters? Which cities are they in?",
                  # practitioners66: whether a case was reported, for the museum's sake
                  "Has UNODC ever reported a case where trafficked people were used as couriers on museum "
                  "loans? Which city was it in?"):
        assert missing_figure(asked, quoted, r).startswith("the question asks for a place"), asked
        assert unanswered_part(asked, quoted, r) == "", asked
    assert unanswered_part("Does UNODC publish a ranking of airports? Which city hosts the Section?", quoted, r) != ""


def test_a_short_question_that_points_back_at_an_unanswered_one_is_unanswered_too(assistant: Assistant) -> None:
    """"Which section of Greece's code holds it, and what's the wording?": the wording is that
    section's, which quotes without Greece do not give; a short question of its own is still answered."""
    r = assistant.retriever
    pid = next(p.id for p in r.passages.values() if "non-punishment" in p.text and "Greece" not in p.text
               and p.label_kind != "front")
    quoted = [AnswerSentence(text=r.corpus.passages[pid].text, citations=[pid])]
    assert unanswered_part("Which section of Greece's criminal code holds non-punishment, and what's the "
                           "wording?", quoted, r) == ""
    assert unanswered_part("How does Greece apply non-punishment, and what is vacatur?", quoted, r) == \
        "the passages found do not mention “Greece”"


def test_countries_are_counted_as_the_texts_count_states() -> None:
    q = "How many countries have ratified the Trafficking in Persons Protocol?"
    assert has_figure("count", "The Protocol is nearing universal ratification with 174 States parties.", q)
    assert not has_figure("count", "The Protocol was adopted by 55 delegates at its tenth session.", q)


def test_a_rate_asked_is_not_answered_by_a_count() -> None:
    q = "How many labour inspectors per 10,000 workers does the toolkit recommend?"
    assert not has_figure("count", "The Rapporteur aims at training all 800 Greek labour inspectors.", q)
    assert has_figure("count", "States should have at least one labour inspector per 10,000 workers.", q)
    assert has_figure("count", "Labour inspectors reached 12% of workplaces.", q)
    # without "per …" in the question a count of the thing asked is an answer
    assert has_figure("count", "The Rapporteur aims at training all 800 Greek labour inspectors.",
                      "How many labour inspectors are to be trained?")


def test_an_acronym_is_looked_up_as_written(assistant: Assistant) -> None:
    r = assistant.retriever
    # "CITES" is not the English word "cites" (one paragraph "cites" a report): the texts never name it
    assert unknown_terms("What CITES permits are needed to export rhino horn?", r) == ["CITES"]
    assert unknown_terms("Do NGOs and UNODC's partners sit on the NRM?", r) == []  # written, plural, spelled out
    assert unknown_terms("Is the UNODC-XYZQ programme relevant?", r) == ["UNODC-XYZQ"]
    # capitals for stress are not acronyms
    assert unknown_terms("Are VICTIMS liable, and WHEN does it apply?", r) == []


def test_a_message_in_capitals_is_read_in_lower_case(assistant: Assistant) -> None:
    shouted = assistant.ask("WHAT DOES THE SMUGGLING PROTOCOL SAY ABOUT CRIMINAL LIABILITY OF MIGRANTS?")
    assert not shouted.refused  # its words were each "a name the texts never mention"
    assert shouted.question.isupper()  # shown as typed
    assert unshouted("WHAT ABOUT THE NRM?") == "what about the nrm?"
    assert unshouted("What about the NRM and UNODC?") == "What about the NRM and UNODC?"


def test_the_date_of_an_event_to_come_is_not_a_past_one(assistant: Assistant) -> None:
    r = assistant.retriever
    cover = next(p for p in r.corpus.passages.values() if p.document_id == "wg4-2020-recs" and "2020" in p.text)
    past = [AnswerSentence(text="The Working Group met in Vienna on 10 and 11 September 2020.", citations=[cover.id])]
    assert missing_figure("When did the Working Group meet?", past, r) == ""
    why = missing_figure("When is the next session of the Working Group?", past, r)
    assert why.startswith("the question asks for a date still to come")
    later = [AnswerSentence(text="Its next session will be held in 2031.", citations=[cover.id])]
    assert missing_figure("When is the next session of the Working Group?", later, r) == ""
    # a deadline asked is a date to come too: the date of the meeting that set it is not it
    deadline = "By what date do States have to report back on the 2020 recommendations?"
    assert missing_figure(deadline, past, r).startswith("the question asks for a date still to come")
    assert missing_figure(deadline, later, r) == ""
    # "what month will … publish the next …" (practitioners36)
    month = "What month will UNODC publish the next Global Report?"
    assert missing_figure(month, past, r).startswith("the question asks for a date still to come")
    # something planned (practitioners48: "in what year is the UN planning to adopt a new protocol…?")
    planned = "In what year is the UN planning to adopt a new protocol on online scam centres?"
    assert missing_figure(planned, past, r).startswith("the question asks for a date still to come")
    assert missing_figure(planned, later, r) == ""
    # (a plan told in the past is no date to come — though the cover's date of a later meeting does
    # not give the year of the first one's planning either)
    assert not missing_figure("In what year did the Working Group plan its first meeting?", past, r).startswith(
        "the question asks for a date still to come")
    # the end of a period is not an event to come
    paper = next(p for p in r.corpus.passages.values() if p.document_id == "wg4-2022-2")  # of 2022
    period = [AnswerSentence(text="In 2021 the Commission released its Strategy (2021–2025).", citations=[paper.id])]
    assert missing_figure("When is the next session of the Working Group?", period, r).startswith(
        "the question asks for a date still to come")


def test_neighbouring_subjects_are_embedded_once_and_survive_an_unwritable_cache(
        assistant: Assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    from assistant.embed import CachedEmbedder
    from assistant.errors import IndexWriteError

    r = assistant.retriever
    r.__dict__.pop("neighbour_fields", None)
    fields, vecs = r.neighbour_fields
    assert len(fields) == len(vecs) >= 100
    cache = CachedEmbedder(r.embedder, assistant.settings.data_dir / "embed_cache.sqlite")
    cache.embed(fields)
    assert cache.hits == len(fields) and cache.misses == 0  # a worker's next start reads them

    def unwritable(self: CachedEmbedder, texts: list[str]) -> np.ndarray:
        raise IndexWriteError(f"cannot write {self.path}: read-only file system")

    monkeypatch.setattr(CachedEmbedder, "embed", unwritable)
    r.__dict__.pop("neighbour_fields", None)
    again_fields, again = r.neighbour_fields
    assert again_fields == fields and np.allclose(again, vecs)


def test_a_detail_asked_about_a_named_case_is_that_cases(assistant: Assistant) -> None:
    """The 2022 paper gives V.C.L. and A.N.'s award; the toolkit names Rantsev without one. An
    amount quoted from the first does not answer "what did the Court award in Rantsev"."""
    r = assistant.retriever
    award = next(p for p in r.corpus.passages.values() if "awarded each applicant" in p.text)
    sentence = next(s for s in split_sentences(award.text) if "awarded each applicant" in s)
    quoted = [AnswerSentence(text=sentence, citations=[award.id])]
    assert missing_detail("How much compensation did the Court award in Rantsev v Cyprus and Russia?", quoted, r)
    assert missing_detail("How much did the Court award the applicants in V.C.L. and A.N. v. the United Kingdom?",
                          quoted, r) == ""
    assert missing_detail("How much did the Court award the applicants?", quoted, r) == ""


def test_a_hyphenated_name_is_read_by_its_capitalised_parts(assistant: Assistant) -> None:
    """"NGO-run shelters" is about NGOs, which the texts name often; "Bosnia-Herzegovina" is a place
    they never name."""
    from assistant.answer.extractive import missing_names
    from assistant.text import tokenize

    r = assistant.retriever
    pid = next(p.id for p in r.passages.values() if "ngo" in tokenize(p.text) and p.label_kind != "front")
    quoted = [AnswerSentence(text=r.corpus.passages[pid].text, citations=[pid])]
    assert missing_names("Should governments fund NGO-run shelters for trafficking victims?", quoted, r) == []
    assert missing_names("How does Bosnia-Herzegovina apply non-punishment?", quoted, r) == ["Bosnia-Herzegovina"]


@pytest.mark.parametrize(("question", "term"), [
    ("What's a reflection period?", "reflection period"),
    ("what is vacatur", "vacatur"),
    ("Define debt bondage.", "debt bondage"),
    ("ok what are status offences?", "status offences"),
    ("explain 'forced criminality'", "forced criminality"),
    ("non-refoulement in the toolkit - what is it, one line", "non-refoulement"),
    ("vacatur: what does it mean?", "vacatur"),
    ("trafficking in persons - what are the rules?", None),
    # a question about something else, an acronym, a number: not a bare term
    ("What is the capital of Australia?", None),
    ("What is the aim of the toolkit?", None),
    ("What is the NRM?", None),
    ("What is 2023?", None),
    ("What is the non-punishment principle in cases of forced criminality?", None),
])
def test_the_term_a_bare_question_asks_about(question: str, term: str | None) -> None:
    assert asked_term(question) == term


def test_a_term_is_used_when_its_words_stand_together_or_a_synonym_does(assistant: Assistant) -> None:
    r = assistant.retriever
    assert r.uses_term("reflection period")  # "a period of reflection"
    assert r.uses_term("smuggled migrants")
    assert r.uses_term("expungement") and r.uses_term("clear criminal record")  # one synonym group
    assert r.uses_term("woman") and r.uses_term("trafficked woman")  # the texts say "women"
    assert not r.uses_term("photosynthesis")
    # both words are in the texts, never together
    assert not r.uses_term("migrants photosynthesis")


def test_a_bare_term_the_texts_use_passes_the_domain_gate_and_one_they_never_use_is_named(
        assistant: Assistant) -> None:
    from assistant.answer.extractive import assess_evidence

    r = assistant.retriever

    def gate(q: str, bar: float) -> tuple[bool, str, str]:
        ev = assess_evidence(q, r.search(q, k=10), r, 0.0, domain_threshold=bar)
        return ev.refuse, ev.kind, ev.reason

    # an embedder that places every question far off (bar 99) is overruled by the texts' use
    assert gate("What's a reflection period?", 99.0)[1] != "off_topic"
    # a common English word the texts happen to use is not thereby theirs
    refused, kind, reason = gate("what is water?", 99.0)
    assert assistant.retriever.uses_term("water") and kind == "off_topic" and "never use" not in reason
    refused, kind, reason = gate("What is photosynthesis?", 99.0)
    assert refused and kind == "off_topic" and "never use the term “photosynthesis”" in reason
    # a term the embedder places near the texts that they never use is refused, and named
    refused, kind, reason = gate("What is a subpoena?", -99.0)
    assert refused and kind == "unknown_terms" and "subpoena" in reason
    assert not gate("what is vacatur?", -99.0)[0]


def test_a_list_of_indicators_is_given_only_by_a_text_that_lists_them(assistant: Assistant) -> None:
    """The texts discuss indicators (their limits, a mechanism to develop them) without listing any:
    that does not answer "what indicators should I look for?"; an instrument that lists them does."""
    r = assistant.retriever
    q = "What indicators should labour inspectors look for on a farm?"
    discussed = [AnswerSentence(text=p.text, citations=[p.id]) for p in r.passages.values() if "indicators" in p.text]
    assert discussed and missing_figure(q, discussed, r) == ("the question asks for a list of indicators, and none "
                                                             "of the passages found gives one")
    pid = discussed[0].citations[0]
    for listing in ("Indicators of forced labour include: abuse of vulnerability; deception; withheld wages.",
                    "Red flags such as withheld passports, unpaid wages and isolation call for a referral.",
                    "The ILO indicators of forced labour are:"):
        assert enumerates_indicators(listing)
        assert missing_figure(q, [AnswerSentence(text=listing, citations=[pid])], r) == ""
    # asked of a body the texts never mention, that is said first: it is why no list can follow
    from assistant.answer.extractive import missing_detail

    # a year that names a document: what is missing is an answer from that document
    paper = [AnswerSentence(text=p.text, citations=[p.id]) for p in r.passages.values()
             if p.document_id == "wg4-2022-2"][:3]
    slides = r.corpus.documents["unodc-np-2023"]
    assert missing_detail("What does UNODC do to support non-punishment, per the April 2023 presentation?",
                          paper, r) == (f"the question asks what {slides.short_title} says, and none of its "
                                        "passages found answers it")
    # a year that names no document is what is missing
    assert missing_detail("What was UNODC's budget for its non-punishment work in 2023?", paper, r) == \
        "the passages found do not mention “2023”, which the question is about"
    fatf = "What are the FATF red flags for trafficking in financial transactions?"
    assert missing_detail(fatf, discussed, r).split("; ") == [
        "the passages found do not mention “FATF”, which the question is about",
        "the question asks for a list of indicators, and none of the passages found gives one"]


def test_a_message_that_only_sets_trafficking_aside_is_still_assessed(assistant: Assistant) -> None:
    from assistant.answer.extractive import assess_evidence

    r = assistant.retriever
    for message in ("No trafficking involved.", "nothing to do with smuggling"):
        # nothing is left to search once those words are out: the message is judged as typed
        ev = assess_evidence(message, r.search(message, k=10), r, 0.3, domain_threshold=99.0)
        assert ev.refuse and ev.kind == "off_topic"


def test_a_story_told_in_the_fields_lay_terms_is_not_a_neighbouring_subject(assistant: Assistant) -> None:
    """A lorry, a custody hearing or a theft conviction sound like neighbouring subjects; paying to be
    taken over a border, or being made to steal, is the texts' own (``text.LAY_DESCRIPTIONS``)."""
    from assistant.answer.extractive import assess_evidence

    r = assistant.retriever

    def kind(question: str) -> str:  # with a margin every question exceeds: only its words decide
        return assess_evidence(question, r.search(question, 10), r, threshold=0.0, domain_threshold=-99.0,
                               neighbour_margin=-99.0).kind

    assert kind("How are sentences for careless driving decided?") == "off_topic"
    # the texts' subject in their words is theirs too (practitioners70: declined as a question on
    # office cleaning contracts once that subject was listed)
    assert kind("We rely on contractors for cleaning. What steps does the toolkit expect a small business to take "
                "so it isn't profiting from forced labor?") != "off_topic"
    for story in ("They each paid the driver to take them over the border, and he locked them in the van with "
                  "no air. Are they criminals?",
                  "In the custody case her old theft conviction came up; her pimp made her steal for him. "
                  "Should it count against her?",
                  "Should prosecutors drop charges against a teenager forced by a gang to sell drugs?"):
        assert kind(story) != "off_topic", story


def test_a_story_of_a_field_notion_is_never_far_from_the_texts(assistant: Assistant) -> None:
    """However far its words sit from every passage, a story that tells one of the field's notions
    ("makes her sell pills at parties") is their subject; a question that tells none is declined."""
    from assistant.answer.extractive import assess_evidence

    r = assistant.retriever
    story = "In A&E a young woman told me the man who looks after her makes her sell pills at parties."
    plain = "In A&E a young woman told me she sells pills at parties."
    for question, kind in ((story, ""), (plain, "off_topic")):
        ev = assess_evidence(question, r.search(question, 10), r, threshold=0.0, domain_threshold=99.0)
        assert ev.kind == kind, question


def test_a_story_of_a_field_notion_is_not_a_weak_match(assistant: Assistant) -> None:
    """A story told without the texts' words shares few of them with the passages found for the
    notion it describes; the weak-match gate would decline it for that alone. The same gate still
    declines a question that describes no such notion."""
    from assistant.answer.extractive import assess_evidence

    r = assistant.retriever
    story = ("A man came back from a compound abroad. He answered a job ad, ended up running romance scams, "
             "beaten when he missed targets. Now the people he scammed want him charged with fraud.")
    plain = "A man came back from abroad and answered a job ad for a bakery. Which croissants sell best?"
    for question, refused in ((story, False), (plain, True)):
        ev = assess_evidence(question, r.search(question, 10), r, threshold=0.99, domain_threshold=-99.0)
        assert ev.refuse is refused and (refused or ev.kind != "weak_match"), question


def test_whether_a_circumstance_matters_or_must_be_shown_is_answered_only_by_a_text_that_says_so(
        assistant: Assistant) -> None:
    """"Is the victim's consent relevant once deception was used?" is answered by a sentence that says
    what consent weighs, not by one on consent to an interview that says "if relevant" thirty words
    on; "do you have to show the child was forced?" by one that says what must be shown."""
    r = assistant.retriever
    q = "Is the consent of the victim relevant once deception was used?"
    said = AnswerSentence(text="The consent of a victim of trafficking in persons to the intended exploitation shall be "
                          "irrelevant where any of the means set forth have been used.", citations=[])
    far = AnswerSentence(text="Interviewers should always obtain the informed consent of the interviewees, including "
                         "consent for the interview, the use of recording devices, the taking of photographs, "
                         "and the transfer of information to third parties if relevant.", citations=[])
    assert missing_figure(q, [said], r) == ""
    assert "whether the consent of the victim matters" in missing_figure(q, [far], r)
    child = "For child victims, do you have to show the child was forced or deceived?"
    assert "whether “the child was forced” must be shown" in missing_figure(child, [far], r)
    means = AnswerSentence(text="For a child, proof that the child was forced or deceived is not required.", citations=[])
    assert missing_figure(child, [means], r) == ""
    assert "burden of proof" in missing_figure("Who carries the burden of proof?", [far], r)
    # what the offence requires (practitioners34): said only by a sentence that weighs it
    profit = "Does trafficking require the trafficker to actually profit?"
    assert "whether the offence requires “the trafficker to actually profit”" in missing_figure(profit, [far], r)
    benefit = AnswerSentence(text="A profit motive is not required for the trafficking offence.", citations=[])
    assert missing_figure(profit, [benefit], r) == ""
    assert missing_figure("Does trafficking have to involve moving someone across a border?", [far], r) == ""
    assert "to what standard" in missing_figure("what standard of proof applies when the defence says so?", [far], r)

    def weight(question: str) -> tuple[str, str, str] | None:
        w = weight_asked(question, r)
        return (w.kind, w.phrase, w.word) if w else None

    assert weight("Toolkit says consent of the victim doesn't matter if coercion was used?") == \
        ("bearing", "consent of the victim", "consent")
    assert weight("Does the toolkit say the consent of a child matters?") == ("bearing", "the consent of a child", "consent")
    # "no matter what their status is" says "regardless": no question of weight
    assert weight("Does the toolkit say victims should get medical care no matter what their status is?") is None
    assert weight("does the principle require any proof that the child was coerced or compelled?") == \
        ("proof", "the child was coerced", "coerc")
    # a circumstance in words the texts never use is weighed by no sentence of theirs
    assert weight("does his agreeing make any difference?") == ("bearing", "his agreeing", "agre")
    assert "whether his agreeing matters" in missing_figure("does his agreeing make any difference?", [far], r)
    # why it matters asks for reasons; a pronoun leans on what came before; "what do I need to show to
    # rebut self defence" names nothing to be shown
    assert weight("does the compulsion still have to be shown?") == ("proof", "the compulsion", "compuls")
    assert weight("does it have to be shown?") is None  # a pronoun leans on what came before
    assert weight("Why does early identification of victims matter?") is None
    assert weight("What does the toolkit say about why a human rights-based approach matters?") is None
    assert weight("Which principles does UNODC list as relevant when addressing trafficking?") is None
    assert weight("His sentence is nearly done - does what was done to him matter now?") is None
    # the other answer to a question asked before it in the sentence (practitioners50)
    assert weight("Is that how the UN texts would see it, or does meaning well not matter?") is None
    assert weight("is consent relevant, or does the force matter?") == ("bearing", "consent", "consent")
    assert weight("or is that irrelevant for under 18s?") is None
    assert weight("What do I need to show to rebut self defence?") is None
    # the user's example of what a text might say is not what is asked (practitioners44)
    assert weight("Do the paper and the slides say anything about children - for example that a child "
                  "shouldn't have to show any compulsion at all?") is None
    assert weight("Does a child have to show any compulsion at all?") == ("proof", "any compulsion at all", "compuls")
    # words someone in the story said, quoted, are not what is asked; a quoted term is (practitioners46)
    assert weight("And if the officer tells me to leave that part out because 'it's not relevant to the charge'?") is None
    assert weight("is 'consent' relevant?") == ("bearing", "'consent'", "consent")
    # showing which parts of a text say something is a display, not a proof (instruments20)
    assert weight("For our product documentation I need to show which parts of the Smuggling of Migrants Protocol "
                  "touch on technology. List every provision that refers to technical resources.") is None
    # "say anything relevant, like…" asks what is said, not whether something matters (practitioners45)
    assert weight("Do the toolkit and the SG report contribution say anything relevant, like non-refoulement?") is None
    # whether one circumstance suffices: answered by a sentence that weighs it ("alone", "one of")
    held = "Is an employer keeping someone's passport enough on its own to make it trafficking?"
    assert weight(held) == ("sufficiency", "an employer keeping someone's passport", "keep")  # rarest in the texts
    assert weight("Is that enough to make it trafficking?") is None  # a pronoun leans on what came before
    assert "whether an employer keeping someone's passport is enough on its own" in missing_figure(held, [far], r)
    alone = AnswerSentence(text="An employer keeping a worker's passport does not alone establish trafficking; it is "
                           "one of several indicators.", citations=[])
    assert missing_figure(held, [alone], r) == ""


def test_whether_one_thing_is_among_those_listed_is_answered_only_by_a_sentence_naming_it(
        assistant: Assistant) -> None:
    """"Is debt bondage named in the list of forms of exploitation?" (practitioners33, 40, 43): a
    sentence about debts answers nothing unless it names the thing by its word rarest in the texts,
    or gives the other answer the question allows ("…or does it only cover sex and labour?")."""
    r = assistant.retriever
    asked = "Is debt bondage actually named in the Protocol's list of forms of exploitation?"
    assert asked_membership(asked) == ("debt bondage", "", False)
    debts = AnswerSentence(text="Many recruit other women to reduce their debt to traffickers.", citations=[])
    listed = AnswerSentence(text="Exploitation shall include forced labour, debt bondage and servitude.", citations=[])
    assert "whether “debt bondage” is among those listed" in missing_figure(asked, [debts], r)
    assert missing_figure(asked, [listed], r) == ""
    # the thing, not the user's example of it; the other answer the question allows
    assert asked_membership("quick q: is 'fraud' - e.g. a fake promise of a place - actually listed as one of "
                            "the means?") == ("fraud", "", False)
    horn = "is forced begging one of the forms of exploitation, or does it only cover sex and labour?"
    assert asked_membership(horn) == ("forced begging", "cover sex and labour", False)
    only = AnswerSentence(text="The definition covers sexual exploitation and forced labour.", citations=[])
    assert missing_figure(horn, [only], r) == ""
    # a list asked for, or a thing named by a pronoun, is no such question
    assert asked_membership("Which are the eight fundamental ILO Conventions listed in the toolkit?") is None
    assert asked_membership("Is it listed as one of the means?") is None
    # practitioners89: a person's standing is asked ("is the sister who paid counted as a smuggler
    # too?"), not whether a list names her
    assert asked_membership("Under the UN smuggling rules, is the sister who paid counted as a smuggler too?") is None
    assert asked_membership("Is the driver who brought them counted as a trafficker?") is None
    assert asked_membership("Is a 17-year-old still counted as a child?") == ("a 17-year-old", "", False)
    assert asked_membership("Is forced marriage recognised as a form of exploitation?") == ("forced marriage", "", False)
    # practitioners90: "is there anything in these texts about trade unions helping people…?" asks
    # whether they mention trade unions at all — about the texts, so never a neighbouring subject
    from assistant.answer.extractive import _asks_if_mentioned

    unions = "is there anything in these texts about trade unions helping people stuck in bad work set-ups?"
    assert asked_membership(unions) == ("trade unions", "", True) and _asks_if_mentioned(unions)
    assert not _asks_if_mentioned("What does the toolkit say about trade union recognition ballots?")
    # practitioners67: after the list named first ("In the UN trafficking definition, is…"); not a
    # clause whose own words hold the list ("For the purposes of the provision, is 'compulsion'
    # confined to the means listed in the definition…?")
    assert asked_membership("In the UN trafficking definition, is 'receipt' of a person one of the acts? I'm "
                            "thinking of the household at the end of the chain.") == ("receipt of a person", "", False)
    assert asked_membership("For the purposes of the non-punishment provision, is 'compulsion' confined to the "
                            "means listed in the definition of trafficking?") is None
    # whether the texts name something at all (practitioners43, 44): refused only when they never do
    organs = "Which of the five documents actually mention trafficking for the removal of organs, and what does each say?"
    assert asked_membership(organs) == ("trafficking for the removal of organs", "", True)
    assert "whether the texts mention “trafficking for the removal of organs”" in missing_figure(organs, [debts], r)
    assert r.passage_frequency(["debt"]) > 0
    assert missing_figure("Do any of the documents mention debt as a risk?", [listed], r) == ""
    assert missing_figure("Does the toolkit mention debt as a risk?", [only], r) == ""  # somewhere, if not here
    assert asked_membership("Which kinds of lies do the documents mention as deception?") is None
    # how a text names things is no thing it names (instruments15: "which rights does it name expressly?")
    assert asked_membership("Which rights of smuggled migrants does the Protocol name expressly, and in which "
                            "article does each appear?") is None
    assert asked_membership("Does the toolkit mention family reunification?") == ("family reunification", "", True)
    # the user's own examples in brackets after "mention" (practitioners48) are no thing asked about
    assert asked_membership("What forms of child exploitation does the toolkit mention (farm work, domestic work, "
                            "begging, armed groups...)? List them.") is None
    # nor is what a wh-word asks for, named after "mention" (practitioners64); a later question of
    # the same message that asks whether is one
    assert asked_membership("What kinds of financial or economic offences does the 2022 background paper mention "
                            "trafficking victims being made to commit (money muling, benefit fraud etc.)? A list "
                            "please.") is None
    assert asked_membership("So what does the paper mention about it? Does the toolkit mention cannabis "
                            "farms?") == ("cannabis farms", "", True)
    # "…or does it only talk about Y?" (instruments18): the other answer, which a quote naming Y gives
    assert asked_membership("Does the Smuggling of Migrants Protocol mention customs authorities anywhere, or does "
                            "it only talk about immigration and border officials?") == \
        ("customs authorities", "immigration and border officials", True)
    # …after the thing's own list, and told as the closest it gets (instruments20)
    assert asked_membership("Does the Smuggling of Migrants Protocol mention satellites, radar or any other "
                            "surveillance technology anywhere, or is the closest it gets a general reference to "
                            "sharing technological information?") == \
        ("satellites", "a general reference to sharing technological information", True)
    assert asked_membership("Does the toolkit mention cannabis farms, or does it just talk about drugs in general?") == \
        ("cannabis farms", "drugs in general", True)
    # whether a text recommends one thing (practitioners69): refused only when the texts never name it
    assert asked_membership("Did the Working Group in 2020 recommend that countries consider making it a crime to "
                            "knowingly use the services of a victim? Yes or no.") == \
        ("countries consider making it a crime to knowingly use the services of a victim", "", True)
    assert asked_membership("Did the Working Group recommend that states consider not prosecuting victims for "
                            "immigration offences?") == ("states consider not prosecuting victims for immigration "
                                                         "offences", "", True)
    assert asked_membership("What did the Working Group recommend about residence permits?") is None
    # named by another word the texts use for it (practitioners68, 72: "older people" are "the elderly")
    older = "Do the texts mention older people anywhere, as victims or in the lists of groups that need attention?"
    assert asked_membership(older) == ("older people", "", True)
    elderly = AnswerSentence(text="Elderly people may also have special needs that need to be addressed.", citations=[])
    assert missing_figure(older, [elderly], r) == ""
    assert missing_figure(older, [debts], r) == ""  # the texts name the elderly somewhere, if not here
    assert "whether the texts mention “older sailors”" in missing_figure(older.replace("people", "sailors"), [elderly], r)


def test_a_detail_asked_about_what_the_texts_never_mention_is_not_answered(assistant: Assistant) -> None:
    """"What's the name of the UNODC-accredited network of hospital chaplains…?" (practitioners33, 43,
    44, instruments7 and 10): a name, a date, an amount asked about a thing no paragraph mentions by
    two of its words is not given by a quote that names some other network, year or fee — even in
    part, beside another part of the message."""
    r = assistant.retriever
    chaplains = "What's the name of the UNODC-accredited network of hospital chaplains who support survivors?"
    assert foreign_subject(chaplains, r) == ["accredited", "chaplains"]
    other = [AnswerSentence(text="UNODC works with the Global Protection Cluster network in Geneva.", citations=[])]
    assert missing_detail(chaplains, other, r) == \
        "the question asks for a detail about “accredited”, “chaplains”, which the indexed texts never mention"
    assert unanswered_part(chaplains + " And when does it meet?", other, r) == ""
    # so is whether such a thing exists (practitioners47)
    assert foreign_subject("Does UNODC publish an official list of the padlocks and bolts traffickers use?", r) == \
        ["padlocks", "bolts"]
    # one word the texts never use is often the asker's own ("hang on"); nothing is missing when no
    # detail is asked; a document's name ("toolkit"), a misspelling or a contraction is no such word
    assert foreign_subject("Which provision does the non-punishment idea hang on?", r) == []
    assert foreign_subject("What do the texts say about oyster and shellfish farms?", r) == []
    # who it is about is not its subject (practitioners83: refused for “lads”, “slides”, though the 2022
    # paper gives the award); a thing the texts never mention still is (practitioners79)
    assert foreign_subject("How much compensation did the European court award the two Vietnamese lads in the "
                           "cannabis farm case that's in the UNODC slides?", r) == []
    assert foreign_subject("The UNODC slides mention a trafficked student who was convicted of exam fraud - was the "
                           "conviction quashed in the end, and which country was it in?", r) != []
    assert foreign_subject("What proportion of convicted traffickers were women, according to the toolkit? "
                           "I shouldnt guess.", r) == []
    # a named text's own provisions asked for (instruments19: a ferry officer's handover note): the
    # situation's words are the asker's, not a subject the texts must mention; unnamed, they are
    ferry = "For a handover note to new officers: which provisions {}still matter to our ferry while she's in port?"
    assert foreign_subject(ferry.format("of the 2022 background paper "), r) == []
    assert foreign_subject(ferry.format(""), r) == ["handover", "ferry"]


def test_a_line_of_a_documents_own_title_names_no_place_body_or_person(assistant: Assistant) -> None:
    """"Draft report of the Working Group on Trafficking in Persons (Vienna, 10-11 September 2020)…" is
    the report's title: it names the document, not the city a question asks for (the Protocol's "…by
    Land, Sea and Air," would be three places); the same city in a sentence of the text still counts."""
    r = assistant.retriever
    cover = r.corpus.passages["wg4-2020-recs:title-page"]
    title = r.corpus.document_of(cover).title  # type: ignore[union-attr]
    asked = "In which city did UNODC run the pilot training for labour inspectors?"
    assert missing_figure(asked, [AnswerSentence(text=title, citations=[cover.id])], r).startswith(
        "the question asks for a place")
    body = next(p for p in r.passages.values() if p.label_kind != "front")
    in_text = [AnswerSentence(text="UNODC ran the pilot training in Vienna in 2019.", citations=[body.id])]
    assert missing_figure(asked, in_text, r) == ""
    # a cover line that repeats only the title's place and dates gives the place
    where = "In which city was the 2020 meeting of the Working Group held?"
    assert missing_figure(where, [AnswerSentence(text="Vienna, 10-11 September 2020", citations=[cover.id])], r) == ""


def test_a_place_an_age_or_a_time_is_given_only_by_a_sentence_on_what_the_question_is_about(assistant: Assistant) -> None:
    """"Which border municipalities has UNODC picked as pilot sites?" is not answered by a sentence
    naming Marrakech for a workshop (instruments4): the place must stand in a sentence that uses one
    of the question's own subject words ("pilot"). A question with none of them is not narrowed."""
    r = assistant.retriever
    body = next(p for p in r.passages.values() if p.label_kind != "front")
    asked = "Which border municipalities has UNODC picked as pilot sites?"
    other = [AnswerSentence(text="UNODC held a regional workshop on data collection in Marrakech.", citations=[body.id])]
    assert missing_figure(asked, other, r).startswith("the question asks for a place")
    piloted = [AnswerSentence(text="UNODC chose Tijuana as a pilot site.", citations=[body.id])]
    assert missing_figure(asked, piloted, r) == ""
    assert missing_figure("Which countries did they mention specifically?", other, r) == ""
    # a name in the question says where, not what about (practitioners37): "Europe" in a sentence
    # on workshops in South Eastern Europe does not make it one on nail salon workers
    europe = [AnswerSentence(text="UNODC held workshops in South Eastern Europe, with Albania and Serbia.",
                             citations=[body.id])]
    asked = "Which country do most trafficked nail salon workers in Europe come from, according to UNODC?"
    assert missing_figure(asked, europe, r).startswith("the question asks for a place")
    salons = [AnswerSentence(text="Most of the workers come from Viet Nam.", citations=[body.id])]
    assert missing_figure(asked, salons, r) == ""
    # an age, the same (practitioners44): "the minimum age for crew on tourist dive boats" is not the
    # age at which anyone is a child. Of its words "young" and "minimum" are the ones the texts use
    # but seldom ("crew", "tourist", "dive", "boats" they never use). Other counts are not narrowed so:
    # "174 States parties" answers "how many States parties…" however the sentence puts the rest.
    # of three subject words or more, a sentence must share two (practitioners60): a country named
    # for "detecting victims" does not say where most migrants hidden in goods vehicles are found
    asked = "Which European country has the most roadside detections of migrants hidden in goods vehicles?"
    one = [AnswerSentence(text="UNODC trained officers in detecting victims in Greece.", citations=[body.id])]
    assert missing_figure(asked, one, r).startswith("the question asks for a place")
    two = [AnswerSentence(text="Most detections of people hidden in goods vehicles were in Greece.", citations=[body.id])]
    assert missing_figure(asked, two, r) == ""
    asked = "What's the minimum age UNODC sets for young people working as crew on tourist dive boats?"
    child = [AnswerSentence(text="A child is any person under 18 years of age.", citations=[body.id])]
    assert missing_figure(asked, child, r).startswith("the question asks for an age")
    boats = [AnswerSentence(text="Young people may join a boat's crew from 16 years of age.", citations=[body.id])]
    assert missing_figure(asked, boats, r) == ""
    count = [AnswerSentence(text="The Protocol now has 174 States parties.", citations=[body.id])]
    assert missing_figure("How many States parties had acceded to the Protocol by 2020?", count, r) == ""
    # a length of time, the same (instruments14): the month a designation is notified within does not
    # say how long an appeal against a fine may take
    asked = "Within how many days of a fine does a victim have to file an appeal against it?"
    notified = [AnswerSentence(text="Such designation shall be notified to all States within one month.",
                               citations=[body.id])]
    assert missing_figure(asked, notified, r).startswith("the question asks for a length of time")
    appeal = [AnswerSentence(text="An appeal against the fine may be filed within 30 days.", citations=[body.id])]
    assert missing_figure(asked, appeal, r) == ""


def test_a_post_asked_for_is_given_by_a_name_beside_one_of_its_words(assistant: Assistant) -> None:
    """"Who is the UNODC child protection focal point for Central Europe?" (practitioners37) is not
    answered by a sentence naming countries in a list ("North Macedonia" reads as a name): the name
    must stand beside a word of the post asked about ("focal point", "child protection")."""
    r = assistant.retriever
    body = next(p for p in r.passages.values() if p.label_kind != "front")
    asked = "Who is the UNODC child protection focal point for Central Europe?"
    listed = [AnswerSentence(text="UNODC delivered workshops bringing together practitioners from Albania, Republic "
                                  "of North Macedonia and Serbia.", citations=[body.id])]
    assert missing_figure(asked, listed, r).startswith("the question asks for a person's name")
    named = [AnswerSentence(text="The focal point, Maria Lindqvist, coordinates the work in the region.",
                            citations=[body.id])]
    assert missing_figure(asked, named, r) == ""
    # the post named as what someone was appointed as (practitioners53: a youth ambassador)
    appointed = "What's the name of the young person UNODC appointed as its youth ambassador against trafficking?"
    assert missing_figure(appointed, listed, r).startswith("the question asks for a person's name")
    ambassador = [AnswerSentence(text="UNODC's youth ambassador, Maria Lindqvist, visited schools in the region.",
                                 citations=[body.id])]
    assert missing_figure(appointed, ambassador, r) == ""


def test_a_title_pages_byline_names_a_person_not_a_place() -> None:
    """Practitioners59 and 61: "which country do the slides name?" is not answered by the presenter's
    line of a title page; the meeting's place on its own line is a place."""
    rare = lambda word: word != "UNODC"  # noqa: E731 - every word is rare but the texts' own body
    asked = "Which country do the slides name?"
    byline = "Tiphanie Crittin, Human Trafficking and Migrant Smuggling Section, UNODC"
    assert not has_figure("place", byline, asked, rare, line=True)
    assert has_figure("place", "Vienna, 10-11 September 2020", "In which city did they meet?", rare, line=True)


def test_a_document_symbol_names_no_place() -> None:
    """Practitioners78: "which US states are named in the slides…?" is not answered by a sentence
    whose only capitals are a document's symbol ("(see CTOC/COP/WG.4/2020/2)"); a place it names is.
    (Its letters may name a body: "COP", the Conference of the Parties.)"""
    rare = lambda word: True  # noqa: E731 - every capitalised word counts as rare here
    asked = "Which US states are named in the UNODC slides as having laws that let survivors get convictions vacated?"
    cited = ("Without such vacation, convicted victims may be barred from travel to other countries "
             "(see CTOC/COP/WG.4/2020/2), and may carry a criminal record for life.")
    assert not has_figure("place", cited, asked, rare)
    assert has_figure("place", cited.replace("other countries", "Ohio"), asked, rare)


def test_a_year_or_a_day_answers_only_beside_what_is_dated() -> None:
    """Practitioners77 and 78: "what date is World Day against Trafficking in Persons?" and "in which
    year did UNODC first publish guidance naming gyms…?" are not answered by a meeting's dates or a
    convention's year; a date beside what is asked about answers."""
    rare = lambda word: word not in ("trafficking", "persons", "unodc", "guidance")  # noqa: E731
    day = "what date is world day against trafficking in persons?"
    assert not has_figure("date", "At its meeting held in Vienna from 10 to 11 September 2020, the Working Group "
                          "on Trafficking in Persons adopted the recommendations.", day, rare)
    assert has_figure("date", "The World Day against Trafficking in Persons is marked on 30 July.", day, rare)
    year = "In which year did UNODC first publish guidance naming gyms and leisure centres as a risky sector?"
    assert not has_figure("date", "The Worst Forms of Child Labour Convention, 1999 (No. 182) requires it.", year, rare)
    assert has_figure("date", "In 2019 UNODC named gyms and leisure centres as a sector at risk.", year, rare)


def test_a_temperature_is_given_only_in_degrees() -> None:
    """Practitioners77: "how hot does the inside of a sealed trailer get?" asks for a temperature; an
    article number or a year is none, a number of degrees is."""
    hot = "How hot does UNODC say the inside of a sealed lorry trailer gets in summer?"
    assert requested_figures(hot) == ["count"]
    assert requested_figures("How hot a topic is non-punishment now?") == []
    assert not has_figure("count", "States must protect migrants from violence (article 16(2)) since 2018.", hot)
    assert has_figure("count", "Temperatures inside sealed trailers can exceed 50 degrees.", hot)


def test_a_count_naming_nothing_counts_what_the_part_before_it_asked() -> None:
    """Practitioners59: in "in which year were the most cases recorded, and how many were there?" the
    count is of those cases; when the first part is unanswered, so is the second, whatever number
    the answer quotes. A count that names its own subject stands alone."""
    year = "In which year did UNODC record the most trafficking cases linked to hotels"
    gap = "the question asks for a date, and none of the passages found gives one"
    assert _dependent_gaps([year, "how many were there?"], [gap, ""])[1]
    assert _dependent_gaps([year, "how many of the victims were men?"], [gap, ""])[1] == ""


def test_a_part_asking_whether_the_texts_name_what_was_just_asked_for_is_unanswered_with_it() -> None:
    """practitioners69: in "who is the UK's anti-slavery commissioner, and do these papers mention
    that office?" the office is the one just asked about; with no name found, quoting anything else
    answers neither part. A part naming something of its own stands alone."""
    who = "who is the UK's independent anti-slavery commissioner right now"
    gap = "the question asks for a person's name, and none of the passages found gives one"
    assert _dependent_gaps([who, "do these UNODC papers mention that office?"], [gap, ""])[1]
    assert _dependent_gaps([who, "does the toolkit mention labour inspectors or trade unions?"], [gap, ""])[1] == ""


def test_a_part_asking_whether_the_texts_name_the_thing_just_asked_for_is_unanswered_with_it() -> None:
    """practitioners87: "which UK council was it that got caught…? Does the UNODC contribution name
    the council?" asks of the council just asked for by its own word; a part naming something the
    part before did not ask about stands alone."""
    which = "Which UK council was it that got caught with trafficked cleaners in its leisure centres"
    gap = "the question asks for a name, and none of the passages found gives one"
    assert _dependent_gaps([which, "Does the UNODC contribution name the council?"], [gap, ""])[1]
    assert _dependent_gaps([which, "Does the UNODC contribution name the Protocol?"], [gap, ""])[1] == ""


def test_a_part_asking_of_what_the_part_before_asked_for_is_unanswered_with_it() -> None:
    """instruments22: "what minimum ratio of female staff does the Protocol set, and does it apply on
    night shifts too?" — "it" is that ratio; with no number found, quoting anything answers neither
    part. A part with a subject of its own stands alone."""
    ratio = "What minimum ratio of female security staff to residents does the Protocol set for reception centres"
    gap = "the question asks for a number, and none of the passages found gives one"
    assert requested_figures(ratio) == ["count"]
    assert _dependent_gaps([ratio, "does it apply on night shifts too?"], [gap, ""])[1]
    assert _dependent_gaps([ratio, "does that law deal with crew changes?"], [gap, ""])[1]
    assert _dependent_gaps([ratio, "does the Protocol mention security guards at all?"], [gap, ""])[1] == ""


def test_a_count_or_a_distance_may_be_written_in_words_or_hyphenated() -> None:
    """instruments4, 22: a treaty counts in words ("the fortieth instrument of ratification"); "what
    minimum stand-off distance…" asks a distance."""
    asked = "How many instruments of ratification are needed for it to enter into force?"
    assert has_figure("count", "It shall enter into force on the ninetieth day after the date of deposit of the "
                      "fortieth instrument of ratification.", asked)
    assert not has_figure("count", "It shall enter into force after the deposit of the instruments of ratification.",
                          asked)
    assert requested_figures("What minimum stand-off distance must a patrol vessel keep from a gas platform?") == [
        "count"]


def test_a_part_asking_about_the_person_the_part_before_asked_for_is_unanswered_with_it() -> None:
    """practitioners46: in "what was the name of the first football agent convicted…, and which
    country convicted him?" the country is that man's; with no name found, a country the answer
    quotes for anything else does not answer it. A part about someone of its own stands alone."""
    agent = "What was the name of the first football agent convicted of trafficking young players"
    gap = "the question asks for a person's name, and none of the passages found gives one"
    assert _dependent_gaps([agent, "which country convicted him?"], [gap, ""])[1]
    assert _dependent_gaps([agent, "which countries have prosecuted football clubs for it?"], [gap, ""])[1] == ""


def test_a_part_asking_how_to_join_what_the_part_before_asked_for_is_unanswered_with_it() -> None:
    """instruments24: "which NGO does the Protocol appoint to supply medicines…, and how does a
    pharmacy like mine apply to become one of its partners?" — its partners are that NGO's; with no
    name found, the answer's quotes answer neither part. Applying for something of one's own stands."""
    ngo = "Which NGO does the Smuggling Protocol appoint to supply medicines to smuggled migrants in border towns"
    gap = "the question asks for a name, and none of the passages found gives one"
    assert _dependent_gaps([ngo, "how does a pharmacy like mine apply to become one of its partners?"], [gap, ""])[1]
    assert _dependent_gaps([ngo, "how do victims apply for a residence permit under national schemes?"], [gap, ""])[1] == ""
