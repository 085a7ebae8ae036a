"""Instruments of other layouts for ``check_citations.py``: a development set (used while building
the rules) and a blind set (built once, not looked at while tuning; reported separately).

The wording is written for these fixtures in the style of each kind of instrument (it is not the
text of any real UN or Council of Europe document); symbols are fictitious ("A/RES/99/…").

    python -m tests.fixture_instruments DIR   # writes DIR/dev and DIR/blind
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.instruments import Instrument, write_set

S = "States shall take appropriate measures to ensure that victims of trafficking in persons"


def _resolution() -> Instrument:
    items = [
        ("title", "Improving the coordination of efforts against trafficking in persons"),
        ("preamble", "The General Assembly,"),
        ("preamble", "Reaffirming its commitment to the purposes and principles of the Charter of the United "
                     "Nations and to the protection of the human rights of all persons,"),
        ("preamble", "Recalling the Protocol to Prevent, Suppress and Punish Trafficking in Persons, and "
                     "welcoming the increase in the number of States that have ratified or acceded to it,"),
        ("preamble", "Deeply concerned that women and girls continue to account for the majority of detected "
                     "victims, and that children are increasingly targeted by traffickers online,"),
        ("preamble", "Recognizing that the identification of victims is a precondition for their protection "
                     "and that victims should not be penalized for offences they were compelled to commit,"),
        ("para", "1", "Urges Member States that have not yet done so to consider ratifying or acceding to the "
                      "Protocol as a matter of priority;"),
        ("para", "2", "Calls upon Member States to strengthen their national responses, including by:"),
        ("sub", "a", "Adopting comprehensive legislation that criminalizes all forms of trafficking in persons;"),
        ("sub", "b", "Establishing national referral mechanisms, with particular attention to:"),
        ("subsub", "i", "The early identification of child victims;"),
        ("subsub", "ii", "Access to interpretation in a language that the victim understands;"),
        ("sub", "c", "Ensuring that victims have access to effective remedies, including compensation;"),
        ("para", "3", "Encourages Member States to ensure that victims of trafficking are not detained, charged "
                      "or prosecuted for unlawful acts committed as a direct consequence of having been "
                      "trafficked, in line with the principle of non-punishment;"),
        ("para", "4", "Requests the Secretary-General to submit to the General Assembly at its next session a "
                      "report on the implementation of the present resolution;"),
        ("para", "5", "Decides to remain seized of the matter."),
    ]
    return Instrument(
        "A_RES_99_101_resolution", "A/RES/99/101", "Improving the coordination of efforts against trafficking",
        items, kind="resolution", job_number="V.99-01234 (E)",
        checks=[("para:3", "Encourages Member States to ensure that victims of trafficking are not detained, "
                           "charged or prosecuted for unlawful acts committed as a direct consequence of having "
                           "been trafficked, in line with the principle of non-punishment;"),
                ("para:2", "Establishing national referral mechanisms, with particular attention to:"),
                ("para:1", "Urges Member States that have not yet done so to consider ratifying or acceding to "
                           "the Protocol as a matter of priority;")])


def _report() -> Instrument:
    items: list[tuple[str, ...]] = [("title", "Report of the Special Rapporteur on trafficking in persons"),
                                    ("heading", "I. Introduction")]
    notes = {}
    for n in range(1, 31):
        if n == 11:
            items.append(("heading", "II. Activities of the Special Rapporteur"))
        if n == 21:
            items.append(("heading", "III. Conclusions and recommendations"))
        marker = ""
        if n % 6 == 0:
            marker = f"^{n // 6}"
            notes[str(n // 6)] = f"See the report of the Special Rapporteur for {2010 + n}, paragraph {n}."
        items.append(("para", str(n), f"In paragraph {n}, the Special Rapporteur notes that {S.lower()}"
                                      f"{marker} receive assistance that is not conditional on their cooperation "
                                      f"with the authorities, and that the measures described in section {n} "
                                      "are applied without discrimination of any kind."))
    return Instrument(
        "A_HRC_99_40_report", "A/HRC/99/40", "Report of the Special Rapporteur on trafficking in persons",
        items, notes=notes, kind="report", footer="Page {n} of {total}",
        checks=[("para:14", "In paragraph 14, the Special Rapporteur notes that"),
                ("para:12", "the measures described in section 12 are applied without discrimination of any kind."),
                ("para:29", "In paragraph 29, the Special Rapporteur notes that")])


def _coe() -> Instrument:
    items = [
        ("title", "Convention on Action against Exploitation in Human Beings"),
        ("heading", "Preamble"),
        ("preamble", "The member States of the Council of Europe and the other Signatories hereto,"),
        ("preamble", "Considering that the aim of the Council of Europe is to achieve a greater unity between "
                     "its members;"),
        ("preamble", "Considering that exploitation of human beings constitutes a violation of human rights;"),
        ("preamble", "Have agreed as follows:"),
        ("heading", "Chapter I – Purposes, scope and definitions"),
        ("article", "1", "Purposes of the Convention"),
        ("para", "1", "The purposes of this Convention are:"),
        ("sub", "a", "to prevent and combat exploitation of human beings, while guaranteeing gender equality;"),
        ("sub", "b", "to protect the human rights of the victims of exploitation;"),
        ("sub", "c", "to promote international cooperation on action against exploitation."),
        ("para", "2", "In order to ensure effective implementation of its provisions by the Parties, this "
                      "Convention sets up a specific monitoring mechanism."),
        ("article", "2", "Scope"),
        ("para", None, "This Convention shall apply to all forms of exploitation of human beings, whether "
                       "national or transnational, whether or not connected with organised crime."),
        ("article", "3", "Definitions"),
        ("para", None, "For the purposes of this Convention:"),
        ("sub", "a", "“Exploitation of human beings” shall mean the recruitment of persons by means of the threat "
                     "or use of force for the purpose of exploitation;"),
        ("sub", "b", "the consent of a victim to the intended exploitation shall be irrelevant where any of the "
                     "means set forth in subparagraph a have been used;"),
        ("sub", "c", "“Child” shall mean any person under eighteen years of age;"),
        ("sub", "d", "“Victim” shall mean any natural person who is subject to exploitation as defined in this "
                     "article."),
        ("heading", "Chapter II – Prevention"),
        ("article", "4", "Measures to discourage demand"),
        ("para", "1", "Each Party shall adopt or strengthen legislative, administrative, educational, social, "
                      "cultural or other measures to discourage the demand that fosters all forms of "
                      "exploitation of persons."),
        ("para", "2", "Each Party shall take measures to raise awareness of the role of the media and civil "
                      "society in identifying the demand as one of the root causes of exploitation."),
    ]
    return Instrument(
        "CETS_299_convention", "CETS No. 299", "Convention on Action against Exploitation in Human Beings",
        items, coe=True, body="Council of Europe", footer="{n}",
        checks=[("art:3::d", "“Victim” shall mean any natural person who is subject to exploitation as defined "
                             "in this article."),
                ("art:4:2", "Each Party shall take measures to raise awareness of the role of the media and civil "
                            "society in identifying the demand as one of the root causes of exploitation."),
                ("art:1:1:b", "to protect the human rights of the victims of exploitation;"),
                ("art:2", "This Convention shall apply to all forms of exploitation of human beings")])


# ----------------------------------------------------------------------------- blind set
def _principles() -> Instrument:
    items: list[tuple[str, ...]] = [
        ("title", "Recommended Principles and Guidelines on Human Rights and Exploitation"),
        ("heading", "Recommended Principles on Human Rights and Exploitation"),
        ("heading", "The primacy of human rights"),
        ("para", "1", "The human rights of exploited persons shall be at the centre of all efforts to prevent "
                      "and combat exploitation and to protect, assist and provide redress to victims."),
        ("para", "2", "States have a responsibility under international law to act with due diligence to "
                      "prevent exploitation, to investigate and prosecute exploiters and to assist victims."),
        ("heading", "Protection and assistance"),
        ("para", "3", "Exploited persons shall not be detained, charged or prosecuted for the illegality of "
                      "their entry into or residence in countries of transit and destination."),
        ("para", "4", "States shall ensure that exploited persons are protected from further exploitation and "
                      "harm and have access to adequate physical and psychological care."),
        ("heading", "Recommended Guidelines on Human Rights and Exploitation"),
        ("heading", "Guideline 1: Promotion and protection of human rights"),
        ("para", None, "Violations of human rights are both a cause and a consequence of exploitation. States "
                       "and intergovernmental organizations should consider:"),
        ("para", "1", "Taking steps to ensure that measures adopted for the purpose of preventing exploitation "
                      "do not have an adverse impact on the rights of persons who have been exploited."),
        ("para", "2", "Developing standard minimum rules for the humane treatment of exploited persons."),
        ("heading", "Guideline 2: Identification of exploited persons"),
        ("para", None, "A failure to identify an exploited person correctly is likely to result in a further "
                       "denial of that person’s rights. States should therefore consider:"),
        ("para", "1", "Developing guidelines and procedures for relevant State authorities to permit the rapid "
                      "and accurate identification of exploited persons."),
        ("para", "2", "Providing appropriate training to relevant State authorities in the identification of "
                      "exploited persons."),
        ("para", "3", "Ensuring cooperation between relevant authorities, officials and non-governmental "
                      "organizations to facilitate the identification and provision of assistance."),
    ]
    return Instrument(
        "E_2099_68_Add_1_principles", "E/2099/68/Add.1", "Recommended Principles and Guidelines on Exploitation",
        items, kind="soft law", body="OHCHR",
        checks=[("principle:3", "Exploited persons shall not be detained, charged or prosecuted for the illegality"),
                ("principle:4", "States shall ensure that exploited persons are protected from further exploitation"),
                ("guideline:2:3", "Ensuring cooperation between relevant authorities, officials and non-governmental"),
                ("guideline:1:2", "Developing standard minimum rules for the humane treatment of exploited persons."),
                ("guideline:2", "A failure to identify an exploited person correctly is likely to result")])


def _two_column_report() -> Instrument:
    items: list[tuple[str, ...]] = [("title", "Thematic study on exploitation in supply chains"),
                                    ("heading", "I. Background")]
    for n in range(1, 41):
        if n == 21:
            items.append(("heading", "II. Findings"))
        items.append(("para", str(n), f"Finding {n}: companies that source goods in high-risk sectors should "
                                      "carry out human rights due diligence covering their whole supply chain, "
                                      f"and States should require it by law (observation {n})."))
    return Instrument(
        "A_99_300_study", "A/99/300", "Thematic study on exploitation in supply chains", items, columns=2,
        kind="report", checks=[("para:17", "Finding 17: companies that source goods in high-risk sectors"),
                               ("para:33", "and States should require it by law (observation 33).")])


def _protocol() -> Instrument:
    items = [
        ("title", "Protocol on Cooperation against the Exploitation of Workers"),
        ("heading", "Preamble"),
        ("preamble", "The States Parties to this Protocol,"),
        ("preamble", "Declaring that effective action against the exploitation of workers requires a "
                     "comprehensive international approach,"),
        ("preamble", "Concerned that, in the absence of a universal instrument, persons vulnerable to "
                     "exploitation will not be sufficiently protected,"),
        ("preamble", "Have agreed as follows:"),
        ("heading", "I. General provisions"),
        ("article", "1", "Statement of purpose"),
        ("para", None, "The purposes of this Protocol are:"),
        ("sub", "a", "To prevent and combat the exploitation of workers;"),
        ("sub", "b", "To protect and assist the victims of such exploitation, with full respect for their human "
                     "rights;"),
        ("article", "2", "Criminalization"),
        ("para", "1", "Each State Party shall adopt such legislative and other measures as may be necessary to "
                      "establish as criminal offences the conduct set forth in article 1 of this Protocol."),
        ("para", "2", "Each State Party shall also adopt measures to establish as criminal offences:"),
        ("sub", "a", "Attempting to commit an offence established in accordance with paragraph 1;"),
        ("sub", "b", "Organizing or directing other persons to commit such an offence:"),
        ("subsub", "i", "Where the offence is committed by a public official;"),
        ("subsub", "ii", "Where the offence endangers the life of the victim;"),
        ("heading", "II. Protection of victims"),
        ("article", "3", "Assistance to victims"),
        ("para", "1", "Each State Party shall consider implementing measures to provide for the physical, "
                      "psychological and social recovery of victims of exploitation."),
        ("para", "2", "Each State Party shall ensure that its domestic legal system contains measures that "
                      "offer victims the possibility of obtaining compensation for damage suffered."),
    ]
    return Instrument(
        "A_RES_99_7_protocol", "A/RES/99/7, annex", "Protocol on Cooperation against the Exploitation of Workers",
        items, checks=[("art:2:2:b:ii", "Where the offence endangers the life of the victim;"),
                       ("art:1::b", "To protect and assist the victims of such exploitation, with full respect"),
                       ("art:3:2", "offer victims the possibility of obtaining compensation for damage suffered.")])


DEV = [_resolution, _report, _coe]
BLIND = [_principles, _two_column_report, _protocol]


def main(folder: Path) -> None:
    write_set(folder / "dev", [f() for f in DEV])
    write_set(folder / "blind", [f() for f in BLIND])


if __name__ == "__main__":
    main(Path(sys.argv[1]))
