Attribute VB_Name = "Ribbon"
' Wywolania z karty wstazki "Projekt EFS" (customUI.xml): przekazuja dalej do
' przyciskow z modulu WorkbookTools. Ribbon callbacks of the "Projekt EFS" tab.
Option Explicit

Public Sub SprawdzRibbon(control As IRibbonControl)
    Sprawdz
End Sub

Public Sub UzupelnijRibbon(control As IRibbonControl)
    Uzupelnij
End Sub

Public Sub PoprawRibbon(control As IRibbonControl)
    Popraw
End Sub

Public Sub ZestawienieRibbon(control As IRibbonControl)
    Zestawienie
End Sub

Public Sub WyczyscRibbon(control As IRibbonControl)
    WyczyscOznaczenia
End Sub
