"""The replica's CSS: custom properties (variants override them) and rules whose
selectors name components in braces; markup.stylesheet() swaps each {component}
for its generated class. No animations; transitions are not used at all."""

from __future__ import annotations

THEME: dict[str, str] = {
    "--font": "Helvetica, Arial, sans-serif",
    "--fb-blue": "#1877F2",
    "--fb-link": "#1877F2",
    "--bg": "#F0F2F5",
    "--card": "#FFFFFF",
    "--text": "#1C1E21",
    "--text-2": "#65676B",
    "--divider": "#CED0D4",
    "--btn-grey": "#E4E6EB",
    "--hover": "#F2F2F2",
    "--radius": "8px",
    "--notice-bg": "#E7F3FF",
    "--notice-border": "#B9D6FB",
    "--green": "#42B72A",
    "--ig-blue": "#0095F6",
    "--ig-text": "#000000",
    "--ig-muted": "#737373",
    "--ig-border": "#DBDBDB",
    "--ig-link": "#00376B",
    "--ig-soft": "#EFEFEF",
    "--meta-blue": "#0064E0",
}

_SHADOW = "0 1px 2px rgba(0,0,0,.2)"
_POP_SHADOW = "0 12px 28px 0 rgba(0,0,0,.2),0 2px 4px 0 rgba(0,0,0,.1)"

RULES: list[tuple[str, str]] = [
    ("*,*::before,*::after", "box-sizing:border-box"),
    ("[hidden]", "display:none!important"),
    ("html", "-webkit-text-size-adjust:100%"),
    ("body", "margin:0;font-family:var(--font);font-size:15px;line-height:1.34;color:var(--text)"),
    ("h1,h2,h3,p", "margin:0"),
    ("input,textarea,select,button", "font-family:inherit;font-size:inherit;color:inherit"),
    ("a", "color:inherit;text-decoration:none"),
    ("[role=button],[role=link]", "cursor:pointer"),
    ("{body.fb}", "background:var(--bg)"),
    ("{body.ig}", "background:#FFFFFF;color:var(--ig-text);font-size:14px"),
    ("{ico}", "display:block;flex:none"),
    (
        "{avatar}",
        "display:inline-block;border-radius:50%;overflow:hidden;flex:none;vertical-align:middle;"
        "background:var(--btn-grey)",
    ),
    ("{avatarSvg}", "display:block"),
    ("{noise}", "font-size:13px;color:var(--text-2);margin-top:8px"),
    # ---- banner (banner-pushdown) ----
    (
        "{banner}",
        "display:flex;gap:12px;align-items:flex-start;background:#FFF8E1;border:1px solid #F2D16B;"
        "border-radius:var(--radius);padding:16px 18px;margin:0 0 16px",
    ),
    ("{banner.icon}", "color:#B7791F;margin-top:2px"),
    ("{banner.title}", "font-weight:700;font-size:16px;margin-bottom:4px"),
    ("{banner.text}", "color:var(--text-2);line-height:1.45"),
    # ---- consent ----
    (
        "{consent.backdrop}",
        "position:fixed;inset:0;background:rgba(244,244,244,.8);display:flex;"
        "align-items:center;justify-content:center;z-index:100;padding:16px",
    ),
    (
        "{consent.box}",
        # square corners: over the translucent backdrop, Chromium's software raster blends the
        # antialiased rounded corner one shade differently from run to run (replica captures must
        # be byte-identical)
        "background:#FFFFFF;border-radius:0;box-shadow:" + _POP_SHADOW + ";"
        "width:100%;max-width:560px;max-height:calc(100vh - 32px);display:flex;flex-direction:column;"
        "color:var(--text)",
    ),
    (
        "{consent.title}",
        "font-size:20px;font-weight:700;padding:20px 20px 12px;line-height:1.25;border-bottom:1px solid var(--divider)",
    ),
    ("{consent.body}", "padding:12px 20px;overflow:auto;flex:1 1 auto"),
    ("{consent.text}", "margin:0 0 12px;line-height:1.45;font-size:15px"),
    ("{consent.sub}", "font-size:16px;font-weight:700;margin:4px 0 8px"),
    ("{consent.buttons}", "display:flex;gap:8px;padding:12px 20px 16px;border-top:1px solid var(--divider)"),
    # square like the dialog (see consent.box): rounded corners inside the fixed dialog came out
    # one shade different between runs in full-page captures
    ("{consent.btn}", "flex:1 1 0;text-align:center"),
    ("{consent.box} {consent.btn}, {consent.sheet} {consent.btn}", "border-radius:0"),
    (
        "{consent.sheet}",
        "position:fixed;left:0;right:0;bottom:0;background:#FFFFFF;z-index:100;"
        "box-shadow:0 -4px 16px rgba(0,0,0,.18);color:var(--text)",
    ),
    ("{consent.sheetInner}", "max-width:960px;margin:0 auto;padding:16px 20px"),
    ("{consent.sheet} {consent.title}", "border:0;padding:0 0 8px;font-size:17px"),
    ("{consent.sheet} {consent.buttons}", "border:0;padding:8px 0 0;justify-content:flex-end"),
    ("{consent.sheet} {consent.btn}", "flex:0 0 auto;min-width:220px"),
    # ---- buttons, inputs ----
    (
        "{fb.btnBlue},{fb.btnGrey},{fb.btnGreen},{meta.btnBlue}",
        "display:inline-flex;align-items:center;justify-content:center;min-height:36px;padding:0 16px;"
        "border-radius:6px;font-weight:600;font-size:15px;user-select:none",
    ),
    ("{fb.btnBlue}", "background:var(--fb-blue);color:#FFFFFF"),
    ("{fb.btnGrey}", "background:var(--btn-grey);color:var(--text)"),
    ("{fb.btnGreen}", "background:var(--green);color:#FFFFFF;font-size:17px;min-height:48px;margin:0 auto"),
    ("{meta.btnBlue}", "background:var(--meta-blue);color:#FFFFFF;border-radius:24px;min-height:44px"),
    (
        "{ig.btnBlue}",
        "display:inline-flex;align-items:center;justify-content:center;min-height:32px;"
        "padding:0 16px;border-radius:8px;background:var(--ig-blue);color:#FFFFFF;font-weight:600;"
        "font-size:14px;user-select:none",
    ),
    (
        "{ig.btnGrey}",
        "display:inline-flex;align-items:center;justify-content:center;min-height:32px;"
        "padding:0 16px;border-radius:8px;background:var(--ig-soft);color:var(--ig-text);font-weight:600;"
        "font-size:14px;user-select:none",
    ),
    (
        "{fb.input},{ig.input}",
        "display:block;width:100%;border:1px solid var(--divider);border-radius:6px;"
        "padding:12px 14px;font-size:16px;background:#FFFFFF;margin:0 0 12px",
    ),
    (
        "{ig.input}",
        "border-color:var(--ig-border);background:#FAFAFA;font-size:13px;padding:9px 8px;"
        "border-radius:3px;margin-bottom:6px",
    ),
    # ---- Facebook shell ----
    ("{fb.app}", "min-height:100vh"),
    (
        "{fb.topbar}",
        "display:flex;align-items:center;justify-content:space-between;height:56px;"
        "padding:0 16px;background:var(--card);box-shadow:" + _SHADOW + ";position:relative;z-index:5",
    ),
    ("{fb.tbLeft}", "display:flex;align-items:center;gap:8px;flex:1 1 0"),
    ("{fb.logoLink}", "display:block;width:40px;height:40px"),
    ("{fbLogo}", "display:block"),
    (
        "{fb.searchPill}",
        "display:flex;align-items:center;gap:6px;background:var(--bg);border-radius:20px;"
        "height:40px;padding:0 12px;color:var(--text-2);width:240px",
    ),
    ("{fb.searchInput}", "border:0;background:transparent;outline:none;width:100%;font-size:15px"),
    ("{fb.searchInput}::placeholder", "color:var(--text-2)"),
    ("{fb.tbCenter}", "display:flex;justify-content:center;gap:8px;flex:0 1 auto"),
    (
        "{fb.tab}",
        "display:flex;align-items:center;justify-content:center;width:110px;height:56px;"
        "color:var(--text-2);border-bottom:3px solid transparent",
    ),
    ("{fb.tabActive}", "color:var(--fb-blue);border-bottom-color:var(--fb-blue)"),
    ("{fb.tbRight}", "display:flex;align-items:center;justify-content:flex-end;gap:8px;flex:1 1 0;position:relative"),
    (
        "{fb.circleBtn}",
        "display:flex;align-items:center;justify-content:center;width:40px;height:40px;"
        "border-radius:50%;background:var(--btn-grey);color:var(--text);position:relative;flex:none",
    ),
    (
        "{fb.badge}",
        "position:absolute;top:-4px;right:-4px;min-width:19px;height:19px;border-radius:10px;"
        "background:#E41E3F;color:#FFFFFF;font-size:12px;font-weight:700;display:flex;align-items:center;"
        "justify-content:center;padding:0 5px",
    ),
    ("{fb.profileBtn}", "position:relative;width:40px;height:40px;border-radius:50%;flex:none"),
    ("{fb.profileAvatar}", "display:block"),
    (
        "{fb.profileChevron}",
        "position:absolute;right:-2px;bottom:-2px;width:16px;height:16px;"
        "border-radius:50%;background:var(--btn-grey);border:2px solid var(--card);display:flex;"
        "align-items:center;justify-content:center;color:var(--text)",
    ),
    (
        "{fb.mTop}",
        "display:flex;align-items:center;justify-content:space-between;height:56px;padding:0 12px;"
        "background:var(--card)",
    ),
    (
        "{fb.wordmark}",
        "font-family:Helvetica,Arial,sans-serif;font-weight:700;color:var(--fb-blue);"
        "font-size:56px;letter-spacing:-2px;line-height:1",
    ),
    ("{fb.wordmarkSmall}", "font-size:30px;letter-spacing:-1px"),
    ("{fb.mTopRight}", "display:flex;gap:8px"),
    ("{fb.mTabs}", "display:flex;background:var(--card);border-bottom:1px solid var(--divider)"),
    (
        "{fb.mTab}",
        "flex:1 1 0;display:flex;justify-content:center;align-items:center;height:48px;"
        "color:var(--text-2);border-bottom:3px solid transparent",
    ),
    ("{fb.mTabActive}", "color:var(--fb-blue);border-bottom-color:var(--fb-blue)"),
    ("{fb.main}", "padding:0"),
    ("{fb.card}", "background:var(--card);border-radius:var(--radius);box-shadow:" + _SHADOW),
    ("{fb.text}", "line-height:1.5;margin:0 0 12px;color:var(--text)"),
    ("{fb.link}", "color:var(--fb-link);font-weight:600"),
    ("{fb.link}:hover", "text-decoration:underline"),
    ("{asButton}", "border-bottom:1px dotted var(--fb-link)"),
    ("{fb.linkStrong}", "display:inline-block;color:var(--fb-link);font-weight:600;margin-top:4px"),
    # ---- Facebook menus ----
    (
        "{fb.dropdown}",
        "position:absolute;top:48px;right:0;width:360px;background:var(--card);"
        "border-radius:var(--radius);box-shadow:" + _POP_SHADOW + ";padding:12px 8px;z-index:20",
    ),
    (
        "{fb.menuCard}",
        "border-radius:var(--radius);box-shadow:0 2px 12px rgba(0,0,0,.15);padding:4px;margin:0 8px 12px",
    ),
    (
        "{fb.profileLink}",
        "display:flex;align-items:center;gap:12px;padding:8px;border-radius:6px;"
        "font-weight:600;font-size:17px;color:var(--text)",
    ),
    ("{fb.profileLink}:hover,{fb.menuItem}:hover,{fb.sideItem}:hover,{fb.leftItem}:hover", "background:var(--hover)"),
    ("{fb.menuAvatar}", "display:block"),
    ("{fb.profileName}", "flex:1 1 auto"),
    ("{fb.menuDivider}", "height:1px;background:var(--divider);margin:4px 8px"),
    ("{fb.seeAll}", "display:block;padding:8px;color:var(--fb-link);font-weight:600"),
    ("{fb.menuList}", "display:flex;flex-direction:column"),
    (
        "{fb.menuItem}",
        "display:flex;align-items:center;gap:12px;padding:8px;border-radius:6px;"
        "min-height:52px;font-weight:600;color:var(--text)",
    ),
    (
        "{fb.menuIcon}",
        "display:flex;align-items:center;justify-content:center;width:36px;height:36px;"
        "border-radius:50%;background:var(--btn-grey);flex:none",
    ),
    ("{fb.menuLabel}", "flex:1 1 auto"),
    ("{fb.menuChevron}", "color:var(--text-2)"),
    ("{fb.menuFooter}", "font-size:13px;color:var(--text-2);padding:8px 8px 0;line-height:1.5"),
    ("{fb.subHead}", "display:flex;align-items:center;gap:12px;padding:0 8px 8px"),
    ("{fb.backBtn}", "background:transparent"),
    ("{fb.subTitle}", "font-size:24px;font-weight:700"),
    ("{fb.accordionBody}", "padding-left:12px"),
    ("{fb.mMenu}", "padding:12px;background:var(--bg);min-height:calc(100vh - 56px)"),
    ("{fb.mMenuTitle}", "font-size:24px;font-weight:700;padding:4px 4px 12px"),
    ("{fb.mMenuProfile}", "margin-bottom:12px;padding:4px"),
    ("{fb.mGrid}", "display:grid;grid-template-columns:1fr 1fr;gap:8px;margin-bottom:12px"),
    ("{fb.mGridItem}", "display:flex;flex-direction:column;gap:8px;padding:12px;font-weight:600;font-size:14px"),
    ("{fb.mGridIcon}", "color:var(--fb-blue)"),
    ("{fb.mList}", "background:transparent"),
    # ---- Facebook home ----
    (
        "{fb.homeGrid}",
        "display:grid;grid-template-columns:300px minmax(0,590px) 300px;justify-content:space-between;"
        "gap:24px;padding:16px",
    ),
    ("{fb.leftNav}", "display:flex;flex-direction:column"),
    ("{fb.leftItem}", "display:flex;align-items:center;gap:12px;padding:8px;border-radius:8px;font-weight:600"),
    (
        "{fb.leftIcon}",
        "display:flex;width:28px;height:28px;align-items:center;justify-content:center;color:var(--fb-blue)",
    ),
    ("{fb.feed}", "display:flex;flex-direction:column;gap:16px"),
    ("{fb.composer}", "display:flex;align-items:center;gap:8px;padding:12px 16px"),
    (
        "{fb.composerInput}",
        "flex:1 1 auto;background:var(--bg);border-radius:20px;height:40px;display:flex;"
        "align-items:center;padding:0 12px;color:var(--text-2);font-size:17px",
    ),
    ("{fb.post}", "padding:12px 0 0"),
    ("{fb.postHead}", "display:flex;gap:8px;align-items:center;padding:0 16px 8px"),
    (
        "{fb.pageAvatar}",
        "display:flex;width:40px;height:40px;border-radius:50%;align-items:center;"
        "justify-content:center;color:#FFFFFF;font-weight:700;flex:none",
    ),
    ("{fb.pageAvatar1}", "background:#3A8D5B"),
    ("{fb.pageAvatar2}", "background:#B5562F"),
    ("{fb.pageAvatar3}", "background:#5B6FB5"),
    ("{fb.postAuthor}", "font-weight:600"),
    ("{fb.postMeta}", "font-size:13px;color:var(--text-2)"),
    ("{fb.postText}", "padding:0 16px 12px;line-height:1.4"),
    ("{fb.postImage}", "height:300px"),
    ("{fb.postImage1}", "background:linear-gradient(135deg,#9FD4A3 0%,#4E9A64 100%)"),
    ("{fb.postImage2}", "background:linear-gradient(135deg,#F4C28A 0%,#C2683B 100%)"),
    ("{fb.postImage3}", "background:linear-gradient(135deg,#C9CFF4 0%,#5B6FB5 100%)"),
    ("{fb.postActions}", "display:flex;border-top:1px solid var(--divider);margin:0 16px;padding:4px 0"),
    (
        "{fb.postAction}",
        "flex:1 1 0;text-align:center;padding:8px;color:var(--text-2);font-weight:600;border-radius:4px",
    ),
    ("{fb.rightCol}", "display:flex;flex-direction:column;gap:4px"),
    ("{fb.rightTitle}", "font-size:17px;color:var(--text-2);font-weight:600;padding:8px"),
    ("{fb.contact}", "display:flex;align-items:center;gap:12px;padding:8px;font-weight:600"),
    ("{fb.contactDot}", "width:36px;height:36px;font-size:14px"),
    # ---- Facebook Privacy Center ----
    ("{fb.pcGrid}", "display:grid;grid-template-columns:360px minmax(0,1fr);min-height:calc(100vh - 56px)"),
    ("{fb.side}", "background:var(--card);box-shadow:1px 0 2px rgba(0,0,0,.1);padding:16px 8px"),
    ("{fb.sideMobile}", "box-shadow:none;border-bottom:1px solid var(--divider)"),
    ("{fb.sideTitle}", "font-size:24px;font-weight:700;padding:4px 8px 12px"),
    ("{fb.sideSearch}", "width:auto;margin:0 8px 12px"),
    ("{fb.sideItem}", "display:flex;align-items:center;gap:12px;padding:8px;border-radius:6px;font-weight:600"),
    ("{fb.sideActive}", "background:var(--notice-bg);color:var(--fb-blue)"),
    (
        "{fb.sideGroup}",
        "padding:4px 0;border-top:1px solid var(--divider);border-bottom:1px solid var(--divider);margin:8px 0",
    ),
    ("{fb.sideGroupTitle}", "display:flex;align-items:center;gap:12px;padding:8px;font-weight:600"),
    (
        "{fb.sideSub}",
        "display:block;padding:7px 8px 7px 56px;color:var(--text-2);font-size:14px;line-height:1.35;border-radius:6px",
    ),
    ("{fb.sideSub}:hover", "background:var(--hover)"),
    ("{fb.pcMain}", "padding:24px 32px 48px;max-width:1000px;width:100%"),
    (
        "{fb.notice}",
        "display:flex;gap:14px;background:var(--notice-bg);border:1px solid var(--notice-border);"
        "border-radius:var(--radius);padding:18px 20px;margin:0 0 24px",
    ),
    ("{fb.noticeIcon}", "color:var(--fb-blue);margin-top:2px"),
    ("{fb.noticeBody}", "flex:1 1 auto"),
    ("{fb.noticeTitle}", "font-size:17px;font-weight:700;margin:0 0 8px"),
    ("{fb.noticeText}", "line-height:1.5;margin:0 0 8px"),
    ("{fb.hero}", "padding:8px 0 24px"),
    ("{fb.heroTitle}", "font-size:32px;font-weight:700;line-height:1.2;margin:0 0 8px"),
    ("{fb.heroText}", "font-size:17px;color:var(--text-2);line-height:1.45;max-width:720px"),
    ("{fb.section}", "margin:0 0 28px"),
    ("{fb.sectionTitle}", "font-size:20px;font-weight:700;margin:0 0 12px"),
    ("{fb.topicGrid}", "display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:12px"),
    ("{fb.topic}", "display:flex;flex-direction:column;gap:12px;padding:16px;min-height:104px;font-weight:600"),
    ("{fb.topicIcon}", "color:var(--fb-blue)"),
    ("{fb.topicLabel}", "font-size:16px"),
    ("{fb.genaiSection}", "padding:16px 20px"),
    ("{fb.learn}", "padding:16px 20px"),
    (
        "{fb.resourceList}",
        "list-style:none;margin:0;padding:0;background:var(--card);border-radius:var(--radius);box-shadow:" + _SHADOW,
    ),
    ("{fb.resourceItem}", "border-bottom:1px solid var(--divider)"),
    ("{fb.resourceItem}:last-child", "border-bottom:0"),
    (
        "{fb.resourceLink}",
        "display:flex;justify-content:space-between;align-items:center;padding:14px 16px;font-weight:600",
    ),
    ("{fb.pcMobile}", "display:flex;flex-direction:column"),
    (
        "{fb.pcToggle}",
        "display:flex;align-items:center;gap:10px;padding:12px 16px;background:var(--card);"
        "border-bottom:1px solid var(--divider);font-weight:700;font-size:17px",
    ),
    # ---- Facebook policy pages ----
    (
        "{fb.policyGrid}",
        "display:grid;grid-template-columns:340px minmax(0,1fr);gap:24px;padding:24px;max-width:1240px;margin:0 auto",
    ),
    (
        "{fb.policyToc}",
        "background:var(--card);border-radius:var(--radius);padding:8px;align-self:start;box-shadow:" + _SHADOW,
    ),
    ("{fb.policyToc} {fb.sideSub}", "padding-left:8px"),
    ("{fb.policyMain}", "background:var(--card);border-radius:var(--radius);padding:32px;box-shadow:" + _SHADOW),
    ("{fb.policyMeta}", "color:var(--text-2);margin:0 0 20px"),
    ("{fb.policyBox}", "margin-bottom:28px"),
    ("{fb.policySection}", "margin:0 0 20px"),
    ("{fb.policyH2}", "font-size:20px;font-weight:700;margin:0 0 10px"),
    ("{fb.policyH3}", "font-size:17px;font-weight:700;margin:12px 0 6px"),
    ("{fb.printRights}", "border-left:3px solid var(--divider);padding-left:16px"),
    ("{fb.printSub}", "margin:0 0 8px"),
    ("{fb.printPage}", "background:#FFFFFF;min-height:100vh"),
    (
        "{fb.printHead}",
        "display:flex;align-items:center;gap:10px;padding:20px 32px;border-bottom:1px solid var(--divider)",
    ),
    ("{fb.printBrand}", "font-size:20px;font-weight:700"),
    ("{fb.printMain}", "max-width:820px;padding:32px"),
    ("{lp.figure}", "margin:16px 0"),
    ("{lp.img}", "display:block;max-width:100%;height:auto;border-radius:8px"),
    ("{lp.caption}", "font-size:13px;color:#65676B;margin-top:6px"),
    ("{fb.genaiMain}", "max-width:880px;margin:0 auto;padding:32px 16px 48px"),
    ("{fb.genaiBlock}", "padding:20px 24px;margin:20px 0 0"),
    ("{fb.helpHead}", "background:var(--fb-blue);color:#FFFFFF;padding:14px 24px"),
    ("{fb.helpBrand}", "font-size:20px;font-weight:700"),
    ("{fb.formMain}", "padding:24px 16px 48px"),
    # ---- login wall ----
    ("{fb.loginPage}", "min-height:100vh;display:flex;flex-direction:column;align-items:center;padding:64px 16px"),
    ("{fb.loginBrand}", "margin:0 0 16px"),
    ("{fb.loginMain}", "width:100%;max-width:396px"),
    (
        "{fb.loginCard}",
        "background:var(--card);border-radius:var(--radius);box-shadow:0 2px 4px rgba(0,0,0,.1),"
        "0 8px 16px rgba(0,0,0,.1);padding:20px 16px 28px;text-align:center",
    ),
    ("{fb.loginTitle}", "font-size:20px;font-weight:400;margin:0 0 6px"),
    ("{fb.loginSub}", "color:var(--text-2);margin:0 0 16px"),
    ("{fb.loginBtn}", "display:flex;width:100%;min-height:48px;font-size:20px;font-weight:700"),
    ("{fb.smallLink}", "display:block;color:var(--fb-link);font-size:14px;margin:16px 0"),
    ("{fb.loginSep}", "height:1px;background:var(--divider);margin:0 0 24px"),
    # ---- security check & errors ----
    (
        "{sec.page},{err.page}",
        "min-height:100vh;display:flex;justify-content:center;padding:72px 16px;background:var(--bg)",
    ),
    ("{sec.main},{err.main}", "width:100%;max-width:500px"),
    ("{sec.card}", "background:#FFFFFF;border-radius:var(--radius);padding:24px;box-shadow:" + _SHADOW),
    ("{sec.icon},{err.icon}", "color:var(--text-2);margin:0 0 12px"),
    ("{sec.title},{err.title}", "font-size:24px;font-weight:700;margin:0 0 12px"),
    ("{sec.text},{err.text}", "line-height:1.5;margin:0 0 16px"),
    ("{sec.captcha}", "display:block;margin:0 0 16px;border-radius:6px"),
    ("{sec.label}", "display:block;font-weight:600"),
    ("{sec.btn}", "margin-top:4px"),
    ("{err.main}", "text-align:center"),
    ("{err.icon}", "display:flex;justify-content:center"),
    ("{err.link}", "color:var(--fb-link);font-weight:600"),
    # ---- the forms ----
    (
        "{form.card}",
        "background:var(--card);border-radius:var(--radius);box-shadow:" + _SHADOW + ";"
        "max-width:1080px;margin:0 auto;padding:24px 28px 28px;color:var(--text)",
    ),
    ("{form.cols}", "display:grid;grid-template-columns:minmax(0,1.35fr) minmax(0,1fr);gap:32px;align-items:start"),
    ("{form.side}", "position:sticky;top:16px"),
    ("{form.title}", "font-size:22px;font-weight:700;line-height:1.25;margin:0 0 16px"),
    ("{form.intro}", "margin:0 0 8px"),
    ("{form.p}", "line-height:1.45;margin:0 0 10px;font-size:14px"),
    ("{form.fields}", "background:var(--bg);border-radius:var(--radius);padding:16px 16px 4px"),
    ("{form.label}", "display:block;font-weight:600;margin:0 0 6px"),
    ("{form.hint}", "font-size:13px;color:var(--text-2);margin:-2px 0 6px"),
    (
        "{form.input},{form.textarea}",
        "display:block;width:100%;border:1px solid var(--divider);border-radius:6px;"
        "padding:10px 12px;font-size:15px;background:#FFFFFF;margin:0 0 14px",
    ),
    ("{form.textarea}", "resize:vertical;min-height:96px;line-height:1.4"),
    ("{form.code}", "max-width:200px;letter-spacing:4px;font-size:18px"),
    ("{form.error}", "color:#C81E1E;font-size:14px;margin:-8px 0 12px;font-weight:600"),
    ("{form.actions}", "display:flex;justify-content:flex-end;padding-top:16px"),
    ("{form.send}", "min-width:120px"),
    ("{form.done},{form.codeStep}", "padding:8px 0"),
    ("{form.doneIcon}", "color:var(--green);margin:0 0 12px"),
    ("{form.doneTitle}", "font-size:24px;font-weight:700;margin:0 0 12px"),
    # ---- Instagram shell ----
    (
        "{ig.wordmark}",
        "font-family:'DejaVu Serif',Georgia,serif;font-style:italic;font-weight:700;"
        "font-size:26px;letter-spacing:-.5px;color:var(--ig-text)",
    ),
    ("{ig.app}", "display:flex;min-height:100vh"),
    (
        "{ig.side}",
        "width:245px;flex:none;border-right:1px solid var(--ig-border);padding:8px 12px 20px;"
        "display:flex;flex-direction:column;position:sticky;top:0;height:100vh",
    ),
    ("{ig.sideLogo}", "display:block;padding:25px 12px 16px;margin-bottom:19px"),
    ("{ig.navList}", "display:flex;flex-direction:column;gap:4px"),
    ("{ig.navItem}", "display:flex;align-items:center;gap:16px;padding:12px;border-radius:8px;font-size:16px"),
    ("{ig.navItem}:hover", "background:#F2F2F2"),
    ("{ig.navActive}", "font-weight:700"),
    ("{ig.navIcon}", "position:relative;display:flex"),
    (
        "{ig.badge}",
        "position:absolute;top:-6px;right:-8px;background:#FF3040;color:#FFFFFF;font-size:11px;"
        "font-weight:700;border-radius:9px;min-width:18px;height:18px;display:flex;align-items:center;"
        "justify-content:center",
    ),
    ("{ig.moreAnchor}", "margin-top:auto;position:relative"),
    (
        "{ig.moreMenu}",
        "position:absolute;left:0;bottom:56px;width:266px;background:#FFFFFF;border-radius:16px;"
        "box-shadow:0 4px 12px rgba(0,0,0,.15);padding:8px;z-index:20",
    ),
    ("{ig.menuItem}", "display:flex;align-items:center;gap:12px;padding:16px;border-radius:8px;font-size:14px"),
    ("{ig.menuItem}:hover", "background:#F2F2F2"),
    ("{ig.menuSep}", "height:6px;background:#F2F2F2;margin:8px -8px"),
    ("{ig.main}", "flex:1 1 auto;min-width:0"),
    ("{ig.appMobile}", "display:flex;flex-direction:column;min-height:100vh"),
    (
        "{ig.mTop}",
        "display:flex;align-items:center;justify-content:space-between;height:60px;padding:0 16px;"
        "border-bottom:1px solid var(--ig-border);background:#FFFFFF",
    ),
    ("{ig.mLogo}", "font-size:24px"),
    ("{ig.mTopRight}", "display:flex;gap:16px"),
    (
        "{ig.iconBtn}",
        "display:flex;align-items:center;justify-content:center;width:32px;height:32px;"
        "position:relative;color:var(--ig-text)",
    ),
    (
        "{ig.mTabs}",
        "display:flex;justify-content:space-around;align-items:center;height:50px;"
        "border-top:1px solid var(--ig-border);background:#FFFFFF;margin-top:auto;"
        "position:sticky;bottom:0;z-index:10",
    ),
    ("{ig.mHandle}", "font-size:20px;font-weight:700"),
    # ---- Instagram profile ----
    ("{ig.profile}", "max-width:935px;margin:0 auto;padding:16px"),
    ("{ig.profHead}", "display:flex;align-items:center;gap:28px;padding:8px 0 16px"),
    ("{ig.profBody}", "display:flex;flex-direction:column;gap:10px;flex:1 1 auto"),
    ("{ig.profStats}", "display:flex;gap:20px;font-size:15px"),
    ("{ig.profActions}", "display:flex;gap:8px;padding-bottom:24px"),
    (
        "{ig.profBtn}",
        "flex:1 1 0;display:flex;justify-content:center;padding:8px 12px;border-radius:8px;"
        "background:#EFEFEF;font-weight:600;font-size:14px;color:var(--ig-text)",
    ),
    (
        "{ig.profEmpty}",
        "display:flex;flex-direction:column;align-items:center;gap:12px;padding:48px 0;"
        "border-top:1px solid var(--ig-border);font-size:20px;font-weight:700",
    ),
    ("{ig.mTab}", "display:flex;align-items:center;justify-content:center;width:48px;height:48px"),
    ("{ig.sheet}", "background:#FFFFFF;padding:8px 0 24px;min-height:calc(100vh - 110px)"),
    ("{ig.sheetHandle}", "width:40px;height:4px;border-radius:2px;background:var(--ig-border);margin:4px auto 12px"),
    (
        "{ig.sheetItem}",
        "display:flex;align-items:center;gap:14px;padding:14px 20px;font-size:16px;border-bottom:1px solid #F2F2F2",
    ),
    ("{ig.sheetDanger}", "color:#ED4956"),
    # ---- Instagram home ----
    ("{ig.homeGrid}", "display:flex;justify-content:center;gap:64px;padding:24px 16px"),
    ("{ig.feed}", "width:100%;max-width:470px"),
    ("{ig.stories}", "display:flex;gap:14px;padding:8px 0 16px;overflow:hidden"),
    ("{ig.story}", "display:flex;flex-direction:column;align-items:center;gap:4px;width:66px"),
    ("{ig.storyRing}", "padding:3px;border-radius:50%;background:linear-gradient(45deg,#F9CE34,#EE2A7B,#6228D7)"),
    (
        "{ig.storyDot}",
        "display:flex;align-items:center;justify-content:center;width:56px;height:56px;"
        "border-radius:50%;border:3px solid #FFFFFF;color:#FFFFFF;font-weight:700;font-size:20px",
    ),
    ("{ig.postHead} {ig.storyDot}", "width:32px;height:32px;font-size:14px;border:0"),
    ("{ig.storyDot0}", "background:#7A5CC2"),
    ("{ig.storyDot1}", "background:#3A8D5B"),
    ("{ig.storyDot2}", "background:#C2683B"),
    ("{ig.storyName}", "font-size:12px;max-width:66px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap"),
    ("{ig.post}", "border-bottom:1px solid var(--ig-border);padding:0 0 16px;margin:0 0 16px"),
    ("{ig.postHead}", "display:flex;align-items:center;gap:10px;padding:8px 0"),
    ("{ig.postUser}", "font-weight:600"),
    ("{ig.postMeta}", "color:var(--ig-muted)"),
    ("{ig.postImage}", "aspect-ratio:1/1;border-radius:4px"),
    ("{ig.postImage1}", "background:linear-gradient(160deg,#BFE3C4 0%,#3F8C5A 100%)"),
    ("{ig.postImage2}", "background:linear-gradient(160deg,#C9DDF6 0%,#3D6FB0 100%)"),
    ("{ig.postActions}", "display:flex;gap:10px;padding:8px 0"),
    ("{ig.postLikes}", "font-weight:600;margin:0 0 6px"),
    ("{ig.postCaption}", "line-height:1.4"),
    ("{ig.suggest}", "width:320px;padding-top:16px"),
    ("{ig.meRow}", "display:flex;align-items:center;gap:12px;margin:0 0 14px"),
    ("{ig.meRow} {ig.storyDot}", "width:44px;height:44px;border:0;font-size:16px"),
    ("{ig.meHandle}", "font-weight:600"),
    ("{ig.meName}", "color:var(--ig-muted)"),
    ("{ig.suggestTitle}", "color:var(--ig-muted);font-weight:600;margin:16px 0 12px"),
    ("{ig.footer}", "color:#C7C7C7;font-size:12px;margin-top:24px;line-height:1.6"),
    # ---- Instagram settings ----
    ("{ig.setGrid}", "display:flex;min-height:100vh"),
    ("{ig.setCol}", "width:315px;flex:none;border-right:1px solid var(--ig-border);padding:36px 16px 24px"),
    ("{ig.setTitle}", "font-size:20px;font-weight:700;padding:0 16px 20px"),
    ("{ig.acCard}", "display:block;border-radius:16px;box-shadow:0 0 6px rgba(0,0,0,.12);padding:16px;margin:0 0 20px"),
    ("{ig.acTitle}", "display:flex;flex-direction:column;font-weight:700;font-size:15px;gap:4px"),
    ("{ig.metaMark}", "font-size:12px;color:var(--ig-muted);font-weight:600"),
    ("{ig.acText}", "color:var(--ig-muted);font-size:12px;margin-top:6px;line-height:1.4"),
    ("{ig.setGroup}", "color:var(--ig-muted);font-size:12px;font-weight:600;padding:14px 16px 6px"),
    ("{ig.setItem}", "display:flex;align-items:center;gap:12px;padding:12px 16px;border-radius:8px;font-size:14px"),
    ("{ig.setItem}:hover", "background:#F2F2F2"),
    ("{ig.setPane}", "flex:1 1 auto;max-width:700px;padding:36px 48px"),
    ("{ig.paneTitle}", "font-size:20px;font-weight:700;margin:0 0 24px"),
    (
        "{ig.profileBox}",
        "display:flex;align-items:center;gap:16px;background:var(--ig-soft);border-radius:20px;"
        "padding:16px;margin:0 0 24px",
    ),
    ("{ig.profileBox} > div", "flex:1 1 auto"),
    ("{ig.smallBtn}", "font-size:13px"),
    ("{ig.fieldLabel}", "display:block;font-weight:700;font-size:16px;margin:0 0 10px"),
    ("{ig.bio}", "min-height:64px;resize:none;margin-bottom:16px"),
    ("{ig.paneNote}", "color:var(--ig-muted);font-size:12px;margin:0 0 20px"),
    ("{ig.submit}", "min-width:200px;min-height:44px"),
    (
        "{ig.setTop}",
        "display:flex;align-items:center;gap:12px;height:44px;padding:0 12px;border-bottom:1px solid var(--ig-border)",
    ),
    ("{ig.setTopTitle}", "font-weight:700;font-size:16px"),
    ("{ig.setList}", "padding:8px 0 24px"),
    # ---- privacycenter.instagram.com & help ----
    ("{ig.pcApp}", "min-height:100vh;display:flex;flex-direction:column"),
    (
        "{ig.pcTop},{ig.helpTop}",
        "display:flex;align-items:center;gap:16px;height:64px;padding:0 24px;"
        "border-bottom:1px solid var(--ig-border);background:#FFFFFF",
    ),
    ("{ig.pcLogo}", "font-size:22px"),
    ("{ig.pcTopLink}", "font-weight:600;color:var(--ig-text);border-left:1px solid var(--ig-border);padding-left:16px"),
    ("{ig.pcMain}", "width:100%;max-width:860px;margin:0 auto;padding:32px 20px 48px;flex:1 1 auto"),
    ("{ig.pcTitle}", "font-size:32px;font-weight:700;margin:0 0 12px;line-height:1.2"),
    ("{ig.pcTagline}", "font-size:16px;color:var(--ig-muted);margin:0 0 28px;line-height:1.45"),
    ("{ig.pcH2}", "font-size:20px;font-weight:700;margin:0 0 12px"),
    ("{ig.pcCards}", "display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:12px"),
    (
        "{ig.pcCard}",
        "display:flex;gap:14px;align-items:flex-start;border:1px solid var(--ig-border);"
        "border-radius:12px;padding:18px",
    ),
    ("{ig.pcCard}:hover", "background:#FAFAFA"),
    ("{ig.pcCardIcon}", "color:var(--ig-text)"),
    ("{ig.pcCardBody}", "display:flex;flex-direction:column;gap:4px"),
    ("{ig.pcCardTitle}", "font-weight:700;font-size:16px"),
    ("{ig.pcCardText}", "color:var(--ig-muted);line-height:1.4"),
    ("{ig.pcSection}", "margin:0 0 28px"),
    ("{ig.text}", "line-height:1.55;margin:0 0 12px;font-size:15px"),
    ("{ig.link}", "color:var(--ig-link);font-weight:600;text-decoration:underline"),
    (
        "{ig.notice}",
        "background:var(--ig-soft);border-radius:12px;padding:20px 22px;margin:0 0 28px;"
        "border-left:4px solid var(--ig-blue)",
    ),
    ("{ig.noticeTitle}", "font-size:17px;font-weight:700;margin:0 0 10px"),
    ("{ig.pcFoot}", "border-top:1px solid var(--ig-border);color:var(--ig-muted);font-size:12px;padding:20px 24px"),
    ("{ig.helpApp}", "min-height:100vh;background:#FAFAFA"),
    ("{ig.helpBrand}", "font-size:16px;font-weight:600;color:var(--ig-muted)"),
    ("{ig.helpMain}", "padding:24px 16px 48px"),
    ("{ig.helpApp} {form.card}", "border:1px solid var(--ig-border);box-shadow:none;border-radius:12px"),
    ("{ig.loginPage}", "min-height:100vh;display:flex;justify-content:center;padding:48px 16px;background:#FAFAFA"),
    ("{ig.loginMain}", "width:100%;max-width:350px"),
    ("{ig.loginCard}", "background:#FFFFFF;border:1px solid var(--ig-border);padding:36px 40px 24px;text-align:center"),
    ("{ig.loginLogo}", "font-size:40px;margin:0 0 12px"),
    ("{ig.loginTitle}", "font-size:17px;font-weight:600;color:var(--ig-muted);margin:0 0 20px"),
    ("{ig.loginBtn}", "display:flex;width:100%;margin:10px 0 0"),
    ("{ig.loginOr}", "color:var(--ig-muted);font-size:13px;font-weight:600;margin:18px 0"),
    ("{ig.smallLink}", "font-size:12px;color:var(--ig-link)"),
    ("{ig.loginSignup}", "margin-top:24px;font-size:14px"),
    ("{ig.strongLink}", "display:inline;color:var(--ig-blue);font-weight:600"),
    # ---- Meta (Accounts Center, help.meta.com) ----
    ("{meta.app}", "min-height:100vh;background:#F1F4F7"),
    (
        "{meta.top}",
        "display:flex;align-items:center;height:60px;padding:0 24px;background:#FFFFFF;border-bottom:1px solid #DEE3E9",
    ),
    ("{meta.brand}", "display:flex;align-items:center;gap:8px;font-weight:700;font-size:20px;color:#1C2B33"),
    ("{metaLogo}", "display:block"),
    ("{meta.main}", "padding:24px 16px 48px"),
    ("{meta.grid}", "display:grid;grid-template-columns:340px minmax(0,1fr);gap:24px;max-width:1100px;margin:0 auto"),
    ("{meta.gridMobile}", "grid-template-columns:minmax(0,1fr)"),
    ("{meta.side}", "background:#FFFFFF;border-radius:16px;padding:20px 12px"),
    ("{meta.title}", "font-size:24px;font-weight:700;padding:0 8px 8px"),
    ("{meta.text}", "color:#465A69;line-height:1.45;padding:0 8px 16px;margin:0"),
    ("{meta.list}", "display:flex;flex-direction:column"),
    ("{meta.item}", "display:flex;align-items:center;gap:12px;padding:12px 8px;border-radius:8px;font-weight:600"),
    ("{meta.item}:hover", "background:#F1F4F7"),
    ("{meta.groupTitle}", "font-size:15px;color:#465A69;padding:16px 8px 4px"),
    ("{meta.pane}", "background:#FFFFFF;border-radius:16px;padding:24px"),
    ("{meta.paneTitle}", "font-size:20px;font-weight:700;margin:0 0 16px"),
    (
        "{meta.card}",
        "display:flex;align-items:center;gap:14px;border:1px solid #DEE3E9;border-radius:12px;padding:14px",
    ),
    ("{meta.name}", "font-weight:700"),
    ("{meta.sub}", "color:#465A69;font-size:13px"),
    ("{meta.helpHead}", "max-width:1080px;margin:0 auto 16px;font-size:22px;font-weight:700;color:#1C2B33"),
    ("{meta.formWrap}", "max-width:1080px;margin:0 auto"),
]

#: Overrides below 700 px wide (the markup itself is chosen by User-Agent).
NARROW: list[tuple[str, str]] = [
    ("{fb.tbCenter}", "display:none"),
    ("{fb.searchPill}", "width:40px;padding:0 12px;overflow:hidden"),
    ("{fb.homeGrid}", "display:block;padding:0"),
    ("{fb.feed}", "gap:8px"),
    ("{fb.card}", "border-radius:0"),
    ("{fb.postImage}", "height:240px"),
    ("{fb.pcMain}", "padding:16px 12px 40px"),
    ("{fb.notice}", "padding:14px 14px;gap:10px"),
    ("{fb.heroTitle}", "font-size:26px"),
    ("{fb.heroText}", "font-size:15px"),
    ("{fb.topicGrid}", "grid-template-columns:repeat(2,minmax(0,1fr))"),
    ("{fb.topic}", "border-radius:var(--radius)"),
    ("{fb.dropdown}", "width:320px"),
    ("{fb.policyGrid}", "display:block;padding:0"),
    ("{fb.policyMain}", "border-radius:0;padding:20px 16px"),
    ("{fb.genaiBlock}", "padding:16px"),
    ("{fb.printMain}", "padding:20px 16px"),
    ("{form.card}", "border-radius:0;padding:20px 16px 24px;box-shadow:none"),
    ("{form.cols}", "display:block"),
    ("{form.side}", "position:static;border-top:1px solid var(--divider);padding-top:16px"),
    ("{form.fields}", "background:transparent;padding:0"),
    ("{fb.learn}", "border-radius:var(--radius)"),
    ("{form.title}", "font-size:20px"),
    ("{form.p}", "font-size:15px;line-height:1.5"),
    ("{form.actions}", "justify-content:stretch"),
    ("{form.send}", "flex:1 1 auto;min-height:44px"),
    ("{fb.formMain}", "padding:0 0 32px"),
    ("{ig.helpMain}", "padding:0 0 32px"),
    ("{ig.helpApp} {form.card}", "border:0;border-radius:0"),
    ("{ig.pcCards}", "grid-template-columns:minmax(0,1fr)"),
    ("{ig.pcTitle}", "font-size:26px"),
    ("{ig.pcMain}", "padding:20px 16px 40px"),
    ("{ig.setGrid}", "display:block"),
    ("{ig.homeGrid}", "display:block;padding:0 12px"),
    ("{consent.sheet} {consent.buttons}", "flex-direction:column"),
    ("{consent.sheet} {consent.btn}", "min-width:0"),
    ("{meta.grid}", "grid-template-columns:minmax(0,1fr)"),
    ("{fb.side}", "box-shadow:none"),
]
