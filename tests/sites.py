"""Generated sites for the site-template tests and for fitting the template evidence: each site
has its own template — a menu of its own section names, a mission text that reads like prose, a
"talk of the town" heading with headlines drawn from a pool, a box and a footer — which no
lexicon knows, around a different article on every page. The same sites on every run."""

from __future__ import annotations

import html
import random
from dataclasses import dataclass, field

from pages import MIDDLES, SUBJECTS, TAILS

SECTIONS = ["زاوية الأسبوع", "ملفات ساخنة", "حكايات المدينة", "دفاتر قديمة", "وجوه وأمكنة", "من الأرشيف",
            "مشاوير", "على الهامش", "ضيف العدد", "أصوات", "مقهى الصباح", "شبابيك"]
MISSIONS = [
    "تأسست هذه المنصة لتكون مساحة مستقلة للنقاش الهادئ حول قضايا المدينة، ويشارك في تحريرها متطوعون من "
    "أحياء مختلفة يجمعهم حب المكان واحترام الحقيقة.",
    "نؤمن بأن الكلمة الصادقة تبني جسورا بين الناس، ولذلك نفتح صفحاتنا لكل من يحمل فكرة نافعة أو تجربة "
    "يريد أن يرويها لأبناء منطقته بلغة بسيطة وواضحة.",
    "يعمل فريقنا الصغير منذ سنوات على توثيق حياة القرى الجبلية وعاداتها، ونحرص على أن تبقى هذه الذاكرة "
    "متاحة للأجيال القادمة بعيدا عن الضجيج والإثارة.",
]
HEADS = ["حديث المقاهي", "على كل لسان", "ما يشغل الناس", "من دفتر الحي"]
POOL = [
    "جدل حول مواعيد الحافلات الجديدة في الأحياء الشرقية", "مهرجان الزيتون يعود بعد غياب ثلاث سنوات",
    "أسرار المطبخ الجبلي في كتاب جديد", "حديقة الحي القديم تستعيد ألوانها", "رحلة مع صيادي الفجر على الشاطئ",
    "لماذا يحب الأطفال مكتبة البلدية", "سوق الخميس بين الأمس واليوم", "ذكريات أول سينما في المدينة",
    "كيف نحمي أشجار الكينا من العطش", "حكاية الخباز الذي لم يغلق يوما", "متطوعون ينظفون ضفاف النهر",
    "الدراجة الهوائية تعود إلى شوارعنا",
]
BOXES = ["اكتب لنا قصتك وسننشرها في عدد الجمعة", "انضم إلى قائمة أصدقاء المنصة", "ادعم استقلالنا بما تستطيع"]
FOOTERS = ["جميع المواد متاحة لإعادة النشر مع ذكر المصدر", "عنوان المكتب: شارع الجامعة، الطابق الثاني",
           "تصميم وتطوير فريق المنصة"]


@dataclass
class SitePage:
    host: str
    text: str
    html: str
    title: str
    article: list[str]
    #: the template's lines on this page (menu, mission, heading and pool headlines, box, footer)
    template: list[str] = field(default_factory=list)


def _paragraph(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(2, 3)):
        middle = rng.choice(MIDDLES).format(n=rng.randint(2, 950))
        parts.append(f"{rng.choice(SUBJECTS)} {middle}{rng.choice(TAILS)}")
    return " ".join(parts)


def site(seed: int, pages: int = 8) -> list[SitePage]:
    """A site of `pages` pages with its own template."""
    rng = random.Random(seed)
    host = f"site{seed}.example.org"
    menu = rng.sample(SECTIONS, 6)
    mission = MISSIONS[seed % len(MISSIONS)]
    head = HEADS[seed % len(HEADS)]
    pool = rng.sample(POOL, 6)
    box = BOXES[seed % len(BOXES)]
    footer = FOOTERS[:2] if seed % 2 else FOOTERS[1:]
    out = []
    for k in range(pages):
        title = f"تقرير رقم {seed * 100 + k} عن {rng.choice(['الزراعة', 'النقل', 'التعليم', 'الصحة'])} في المدينة"
        article = [_paragraph(rng) for _ in range(rng.randint(3, 5))]
        trending = rng.sample(pool, 4)
        lines = menu + [title] + article + [mission, head] + trending + [box] + footer
        text = "\n".join(lines) + "\n"
        body = "".join(f"<p>{html.escape(p)}</p>" for p in article)
        page_html = (
            f'<html><head><title>{html.escape(title)}</title><link rel="canonical" '
            f'href="https://{host}/{seed}/{k}.html"></head><body>'
            f'<div class="top">{"".join(f"<a href=/s{i}>{html.escape(m)}</a>" for i, m in enumerate(menu))}</div>'
            f"<h1>{html.escape(title)}</h1><div class=\"txt\">{body}</div>"
            f'<div class="about"><p>{html.escape(mission)}</p></div>'
            f'<div class="side"><h3>{html.escape(head)}</h3>'
            f'{"".join(f"<div>{html.escape(t)}</div>" for t in trending)}</div>'
            f'<div class="box">{html.escape(box)}</div>'
            f'<div class="bottom">{"".join(f"<div>{html.escape(f)}</div>" for f in footer)}</div>'
            "</body></html>"
        )
        template = menu + [mission, head] + trending + [box] + footer
        out.append(SitePage(host, text, page_html, title, article, template))
    return out
